//! Flywheels: data lake, datasets, iterations that evaluate and retrain, promotion.

use aws_sdk_comprehend::operation::create_flywheel::builders::CreateFlywheelFluentBuilder;
use aws_sdk_comprehend::types::{
    DatasetStatus, DatasetType, DocumentClassificationConfig, DocumentClassifierMode,
    FlywheelIterationStatus, FlywheelStatus, LanguageCode, ModelStatus, ModelType, TaskConfig,
};

use crate::harness::{
    Env, ROLE, Wire, code, create_dataset, finished_classifier, finished_iteration, message,
    new_model_flywheel, over_both_wires, settled_dataset, settled_flywheel, start_iteration,
    trained_wordnet, wait_for,
};

over_both_wires!(the_seed_walkthrough_more_data_beats_less_and_promotion_is_manual);

async fn the_seed_walkthrough_more_data_beats_less_and_promotion_is_manual(wire: Wire) {
    // No workers: this test runs each job itself, so "while an iteration runs" is certain.
    let env = Env::start_over(wire, |c| c.workers = Some(0)).await;
    env.bucket_with(
        "seed-data",
        &[
            ("partial.csv", "wordnet-small/partial.csv"),
            ("more.csv", "wordnet-small/more.csv"),
            ("test.csv", "wordnet-small/test.csv"),
        ],
    )
    .await;
    let model = crate::harness::create_classifier(
        &env,
        "wordnet",
        Some("v1"),
        "s3://seed-data/partial.csv",
    )
    .await;
    env.drain().await;
    env.s3
        .create_bucket()
        .bucket("seed-lake")
        .send()
        .await
        .unwrap();

    // Step 4: a flywheel from the existing model.
    let (flywheel, lake) = seed_flywheel(&env, &model).await;
    // Step 5: more training data, and held-out test data.
    seed_datasets(&env, &flywheel, &lake).await;
    // Step 6: an iteration evaluates the active version and trains a new one.
    let (id, trained) = seed_iteration(&env, &flywheel, &model, &lake).await;
    assert_seed_lake_contents(&env, &lake, &id).await;
    assert_new_version_not_promoted(&env, &flywheel, &model, &trained, &lake, &id).await;
    // Step 7: promote.
    promote_then_evaluate_only(&env, &flywheel, &trained, &id).await;
    assert_deleting_keeps_lake_and_versions(&env, &flywheel, &trained).await;
}

/// Step 4 of the seed walkthrough: a flywheel around `model`, with its lake in `seed-lake`
/// and the model's training and test data copied in as datasets. Returns the flywheel's
/// ARN and its data lake URI.
async fn seed_flywheel(env: &Env, model: &str) -> (String, String) {
    let created = env
        .comprehend
        .create_flywheel()
        .flywheel_name("wordnet-flywheel")
        .active_model_arn(model)
        .data_access_role_arn(ROLE)
        .data_lake_s3_uri("s3://seed-lake/lake")
        .send()
        .await
        .unwrap();
    env.drain().await;
    let flywheel = created.flywheel_arn().unwrap().to_owned();
    assert_eq!(flywheel, env.arn("flywheel/wordnet-flywheel"));
    assert_eq!(created.active_model_arn(), Some(model));
    let props = settled_flywheel(&env.comprehend, &flywheel).await;
    assert_eq!(
        props.status(),
        Some(&FlywheelStatus::Active),
        "{:?}",
        props.message()
    );
    let lake = props.data_lake_s3_uri().unwrap().to_owned();
    assert!(
        lake.starts_with("s3://seed-lake/lake/wordnet-flywheel/schemaVersion=1/")
            && lake.ends_with("Z/"),
        "{lake}"
    );
    let labels = props
        .task_config()
        .unwrap()
        .document_classification_config()
        .unwrap()
        .labels();
    assert_eq!(labels.len(), 10);
    // The model's training and test data were copied in as datasets.
    let datasets = env
        .comprehend
        .list_datasets()
        .flywheel_arn(&flywheel)
        .send()
        .await
        .unwrap();
    let initial: Vec<_> = datasets
        .dataset_properties_list()
        .iter()
        .map(|d| (d.dataset_type().cloned(), d.number_of_documents()))
        .collect();
    assert_eq!(
        initial,
        [
            (Some(DatasetType::Train), Some(1080)),
            (Some(DatasetType::Test), Some(120))
        ]
    );
    assert_eq!(
        datasets.dataset_properties_list()[0].description(),
        Some("TRAIN Dataset created by Flywheel creation.")
    );
    (flywheel, lake)
}

/// Step 5 of the seed walkthrough: more training data, and held-out test data, ingested
/// into the lake.
async fn seed_datasets(env: &Env, flywheel: &str, lake: &str) {
    let more = create_dataset(
        env,
        flywheel,
        "more-data",
        DatasetType::Train,
        "s3://seed-data/more.csv",
    )
    .await;
    let test = create_dataset(
        env,
        flywheel,
        "held-out",
        DatasetType::Test,
        "s3://seed-data/test.csv",
    )
    .await;
    env.drain().await;
    let more = settled_dataset(&env.comprehend, &more).await;
    assert_eq!(
        (more.status(), more.number_of_documents()),
        (Some(&DatasetStatus::Completed), Some(3000))
    );
    assert!(
        more.dataset_s3_uri()
            .unwrap()
            .starts_with(&format!("{lake}datasets/more-data/"))
    );
    settled_dataset(&env.comprehend, &test).await;
}

/// Step 6 of the seed walkthrough: an iteration (the only one at a time, and it keeps the
/// flywheel from being deleted) evaluates `model` and trains a version that measurably
/// wins. Returns the iteration's id and the new version's ARN.
async fn seed_iteration(env: &Env, flywheel: &str, model: &str, lake: &str) -> (String, String) {
    let started = env
        .comprehend
        .start_flywheel_iteration()
        .flywheel_arn(flywheel)
        .send()
        .await
        .unwrap();
    let id = started.flywheel_iteration_id().unwrap().to_owned();
    assert_eq!(id.len(), 16);
    let err = env
        .comprehend
        .start_flywheel_iteration()
        .flywheel_arn(flywheel)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceInUseException");
    let err = env
        .comprehend
        .delete_flywheel()
        .flywheel_arn(flywheel)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceInUseException");
    env.drain().await;
    let it = finished_iteration(&env.comprehend, flywheel, &id).await;
    assert_eq!(
        it.status(),
        Some(&FlywheelIterationStatus::Completed),
        "{:?}",
        it.message()
    );
    assert!(it.message().unwrap().starts_with("FULL_ITERATION: "));
    assert_eq!(it.evaluated_model_arn(), Some(model));
    assert_eq!(
        it.evaluation_manifest_s3_prefix(),
        Some(format!("{lake}evaluation/{id}/").as_str())
    );
    let trained = it.trained_model_arn().unwrap().to_owned();
    assert!(
        trained
            .starts_with(&env.arn("document-classifier/wordnet/version/Comprehend-Generated-v1-")),
        "{trained}"
    );
    let before = it
        .evaluated_model_metrics()
        .unwrap()
        .average_f1_score()
        .unwrap();
    let after = it
        .trained_model_metrics()
        .unwrap()
        .average_f1_score()
        .unwrap();
    assert!(
        after > before + 0.03,
        "the version trained on more data must measurably win: {before} -> {after}"
    );
    (id, trained)
}

/// The lake holds the datasets, the evaluation and the new version's statistics.
async fn assert_seed_lake_contents(env: &Env, lake: &str, id: &str) {
    let key_prefix = lake.strip_prefix("s3://seed-lake/").unwrap();
    let keys: Vec<String> = env
        .s3
        .list_objects_v2()
        .bucket("seed-lake")
        .prefix(key_prefix)
        .send()
        .await
        .unwrap()
        .contents()
        .iter()
        .map(|o| {
            o.key()
                .unwrap()
                .strip_prefix(key_prefix)
                .unwrap()
                .to_owned()
        })
        .collect();
    for expected in [
        "flywheel.json",
        &format!("evaluation/{id}/evaluation_manifest.json"),
    ] {
        assert!(keys.iter().any(|k| k == expected), "{expected} in {keys:?}");
    }
    assert!(
        keys.iter()
            .any(|k| k.starts_with("datasets/more-data/") && k.ends_with("/documents.csv"))
    );
    assert!(keys.iter().any(|k| k.ends_with("/stats/metrics.json")));
}

/// The new version is flywheel-managed; promotion is manual.
async fn assert_new_version_not_promoted(
    env: &Env,
    flywheel: &str,
    model: &str,
    trained: &str,
    lake: &str,
    id: &str,
) {
    let version = env
        .comprehend
        .describe_document_classifier()
        .document_classifier_arn(trained)
        .send()
        .await
        .unwrap()
        .document_classifier_properties
        .unwrap();
    assert_eq!(version.status(), Some(&ModelStatus::Trained));
    assert_eq!(version.flywheel_arn(), Some(flywheel));
    assert!(
        version
            .output_data_config()
            .unwrap()
            .flywheel_stats_s3_prefix()
            .unwrap()
            .starts_with(lake)
    );
    let props = env
        .comprehend
        .describe_flywheel()
        .flywheel_arn(flywheel)
        .send()
        .await
        .unwrap()
        .flywheel_properties
        .unwrap();
    assert_eq!(
        props.active_model_arn(),
        Some(model),
        "never promoted automatically"
    );
    assert_eq!(props.latest_flywheel_iteration(), Some(id));
}

/// Step 7 of the seed walkthrough: promotes `trained`. With no new data, the next iteration
/// evaluates and says so.
async fn promote_then_evaluate_only(env: &Env, flywheel: &str, trained: &str, id: &str) {
    let updated = env
        .comprehend
        .update_flywheel()
        .flywheel_arn(flywheel)
        .active_model_arn(trained)
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.flywheel_properties().unwrap().active_model_arn(),
        Some(trained)
    );

    // No new data: the next iteration evaluates and says so.
    let id2 = start_iteration(&env.comprehend, flywheel).await;
    assert!(id2.as_str() > id);
    env.drain().await;
    let it2 = finished_iteration(&env.comprehend, flywheel, &id2).await;
    assert_eq!(it2.status(), Some(&FlywheelIterationStatus::Completed));
    assert!(
        it2.message().unwrap().starts_with("EVALUATION_ONLY"),
        "{:?}",
        it2.message()
    );
    assert!(it2.trained_model_arn().is_none());
    assert_eq!(it2.evaluated_model_arn(), Some(trained));
    let history = env
        .comprehend
        .list_flywheel_iteration_history()
        .flywheel_arn(flywheel)
        .send()
        .await
        .unwrap();
    assert_eq!(history.flywheel_iteration_properties_list().len(), 2);
}

/// Deleting the flywheel keeps the lake and the model versions, not the datasets.
async fn assert_deleting_keeps_lake_and_versions(env: &Env, flywheel: &str, trained: &str) {
    env.comprehend
        .delete_flywheel()
        .flywheel_arn(flywheel)
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(
            &env.comprehend
                .describe_flywheel()
                .flywheel_arn(flywheel)
                .send()
                .await
                .unwrap_err()
        ),
        "ResourceNotFoundException"
    );
    assert!(
        env.comprehend
            .list_datasets()
            .send()
            .await
            .unwrap()
            .dataset_properties_list()
            .is_empty()
    );
    env.comprehend
        .describe_document_classifier()
        .document_classifier_arn(trained)
        .send()
        .await
        .unwrap();
    assert!(
        !env.s3
            .list_objects_v2()
            .bucket("seed-lake")
            .send()
            .await
            .unwrap()
            .contents()
            .is_empty()
    );
}

#[tokio::test]
async fn a_new_model_flywheel_trains_its_first_version_and_drops_unknown_labels() {
    let env = Env::start().await;
    env.bucket_with("new-fw", &[("multi.csv", "multilabel.csv")])
        .await;
    // Two of the four topics are the flywheel's labels; the rest are dropped at ingestion.
    let labels = DocumentClassificationConfig::builder()
        .mode(DocumentClassifierMode::MultiLabel)
        .labels("SPORTS")
        .labels("TECH")
        .build()
        .unwrap();
    let flywheel = new_model_flywheel(&env, "topics", labels, "s3://new-fw/lake/").await;
    let props = settled_flywheel(&env.comprehend, &flywheel).await;
    assert_eq!(props.status(), Some(&FlywheelStatus::Active));
    assert!(props.active_model_arn().is_none());
    assert_eq!(
        props
            .data_security_config()
            .map(|c| c.model_kms_key_id().is_none()),
        Some(true)
    );

    assert_iteration_without_train_data_fails(&env, &flywheel).await;
    assert_unknown_labels_dropped(&env, &flywheel).await;

    let id = start_iteration(&env.comprehend, &flywheel).await;
    let it = finished_iteration(&env.comprehend, &flywheel, &id).await;
    assert_eq!(
        it.status(),
        Some(&FlywheelIterationStatus::Completed),
        "{:?}",
        it.message()
    );
    assert!(
        it.evaluated_model_arn().is_none(),
        "nothing to evaluate before the first version"
    );
    let first = it.trained_model_arn().unwrap();
    assert!(
        first.starts_with(&env.arn("document-classifier/topics/version/Comprehend-Generated-v1-"))
    );
    let props = env
        .comprehend
        .describe_flywheel()
        .flywheel_arn(&flywheel)
        .send()
        .await
        .unwrap()
        .flywheel_properties
        .unwrap();
    assert_eq!(
        props.active_model_arn(),
        Some(first),
        "a flywheel without a model adopts its first version"
    );
    let version = finished_classifier(&env.comprehend, first).await;
    assert_eq!(
        version.classifier_metadata().unwrap().number_of_labels(),
        Some(2)
    );
}

/// Starting an iteration before there is TRAIN data: refused, or allowed and the
/// iteration fails.
async fn assert_iteration_without_train_data_fails(env: &Env, flywheel: &str) {
    let err = env
        .comprehend
        .start_flywheel_iteration()
        .flywheel_arn(flywheel)
        .send()
        .await
        .map(|_| ());
    if let Ok(()) = err {
        // Starting is allowed; the iteration fails without TRAIN data.
        let history = env
            .comprehend
            .list_flywheel_iteration_history()
            .flywheel_arn(flywheel)
            .send()
            .await
            .unwrap();
        let id = history.flywheel_iteration_properties_list()[0]
            .flywheel_iteration_id()
            .unwrap()
            .to_owned();
        let it = finished_iteration(&env.comprehend, flywheel, &id).await;
        assert_eq!(it.status(), Some(&FlywheelIterationStatus::Failed));
        assert!(
            it.message().unwrap().contains("no completed TRAIN dataset"),
            "{:?}",
            it.message()
        );
    }
}

/// A TRAIN dataset of all four topics is ingested; labels the flywheel does not know are
/// dropped, and the message names them.
async fn assert_unknown_labels_dropped(env: &Env, flywheel: &str) {
    let dataset = create_dataset(
        env,
        flywheel,
        "news",
        DatasetType::Train,
        "s3://new-fw/multi.csv",
    )
    .await;
    let dataset = settled_dataset(&env.comprehend, &dataset).await;
    assert_eq!(
        dataset.status(),
        Some(&DatasetStatus::Completed),
        "{:?}",
        dataset.message()
    );
    let kept = dataset.number_of_documents().unwrap();
    assert!(kept > 100 && kept < 400, "{kept}");
    let msg = dataset.message().unwrap();
    assert!(
        msg.contains("dropped") && msg.contains("FOOD") && msg.contains("POLITICS"),
        "{msg}"
    );
}

#[tokio::test]
async fn flywheel_errors() {
    let env = Env::start().await;
    let model = trained_wordnet(&env, "fw-errors", "errs").await;
    assert_invalid_flywheels_rejected(&env, &model).await;
    // An unusable lake location fails the flywheel with a message.
    assert_unusable_lake_fails(&env, &model).await;
    let good = assert_taken_name_promotion_and_update(&env, &model).await;
    // Datasets: a taken name, a missing source.
    assert_dataset_errors(&env, &good).await;
}

/// CreateFlywheel with the role and a lake in `fw-errors`, for the checks to vary.
fn flywheel_request(env: &Env) -> CreateFlywheelFluentBuilder {
    env.comprehend
        .create_flywheel()
        .data_access_role_arn(ROLE)
        .data_lake_s3_uri("s3://fw-errors/lake")
}

/// A model type without its configuration, unsupported languages, a model and a task
/// configuration together or neither, an unknown model.
async fn assert_invalid_flywheels_rejected(env: &Env, model: &str) {
    let base = || flywheel_request(env);
    let err = base()
        .flywheel_name("er")
        .model_type(ModelType::EntityRecognizer)
        .task_config(
            TaskConfig::builder()
                .language_code(LanguageCode::En)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
    assert!(message(&err).contains("EntityRecognitionConfig is required"));
    let task = TaskConfig::builder()
        .language_code(LanguageCode::En)
        .document_classification_config(
            DocumentClassificationConfig::builder()
                .mode(DocumentClassifierMode::MultiClass)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let err = base()
        .flywheel_name("both")
        .active_model_arn(model)
        .task_config(task.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
    let err = base().flywheel_name("neither").send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
    let err = base()
        .flywheel_name("lang")
        .model_type(ModelType::DocumentClassifier)
        .task_config(
            TaskConfig::builder()
                .language_code(LanguageCode::Ko)
                .document_classification_config(
                    DocumentClassificationConfig::builder()
                        .mode(DocumentClassifierMode::MultiClass)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UnsupportedLanguageException");
    let err = base()
        .flywheel_name("ghost")
        .active_model_arn(env.arn("document-classifier/ghost/version/v1"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
}

/// A lake in a bucket that does not exist fails the flywheel with a message naming it.
async fn assert_unusable_lake_fails(env: &Env, model: &str) {
    let broken = env
        .comprehend
        .create_flywheel()
        .flywheel_name("no-lake")
        .active_model_arn(model)
        .data_access_role_arn(ROLE)
        .data_lake_s3_uri("s3://missing-lake-bucket/lake")
        .send()
        .await
        .unwrap()
        .flywheel_arn
        .unwrap();
    let props = settled_flywheel(&env.comprehend, &broken).await;
    assert_eq!(props.status(), Some(&FlywheelStatus::Failed));
    assert!(
        props.message().unwrap().contains("missing-lake-bucket"),
        "{:?}",
        props.message()
    );
}

/// A flywheel "good" on `model`: its name is then taken, only versions of its own model can
/// be promoted, and UpdateFlywheel keeps omitted members. Returns its ARN.
async fn assert_taken_name_promotion_and_update(env: &Env, model: &str) -> String {
    let base = || flywheel_request(env);
    let good = base()
        .flywheel_name("good")
        .active_model_arn(model)
        .send()
        .await
        .unwrap()
        .flywheel_arn
        .unwrap();
    let err = base()
        .flywheel_name("good")
        .active_model_arn(model)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceInUseException");
    settled_flywheel(&env.comprehend, &good).await;
    // Only a version of this flywheel's model can be promoted.
    let other =
        crate::harness::create_classifier(env, "other", None, "s3://fw-errors/partial.csv").await;
    finished_classifier(&env.comprehend, &other).await;
    let err = env
        .comprehend
        .update_flywheel()
        .flywheel_arn(&good)
        .active_model_arn(&other)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
    // UpdateFlywheel keeps omitted members and replaces a sent structure.
    let updated = env
        .comprehend
        .update_flywheel()
        .flywheel_arn(&good)
        .data_security_config(
            aws_sdk_comprehend::types::UpdateDataSecurityConfig::builder()
                .model_kms_key_id("alias/new")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .flywheel_properties
        .unwrap();
    assert_eq!(updated.active_model_arn(), Some(model));
    assert_eq!(
        updated.data_security_config().unwrap().model_kms_key_id(),
        Some("alias/new")
    );
    assert_eq!(updated.data_access_role_arn(), Some(ROLE));
    good
}

/// Datasets: a taken name is refused, a missing source fails the dataset; both count in a
/// filtered listing.
async fn assert_dataset_errors(env: &Env, good: &str) {
    let d = create_dataset(
        env,
        good,
        "d1",
        DatasetType::Train,
        "s3://fw-errors/more.csv",
    )
    .await;
    let err = env
        .comprehend
        .create_dataset()
        .flywheel_arn(good)
        .dataset_name("d1")
        .input_data_config(
            aws_sdk_comprehend::types::DatasetInputDataConfig::builder()
                .document_classifier_input_data_config(
                    aws_sdk_comprehend::types::DatasetDocumentClassifierInputDataConfig::builder()
                        .s3_uri("s3://fw-errors/more.csv")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceInUseException");
    settled_dataset(&env.comprehend, &d).await;
    let missing = create_dataset(
        env,
        good,
        "missing",
        DatasetType::Test,
        "s3://fw-errors/nope.csv",
    )
    .await;
    let missing = settled_dataset(&env.comprehend, &missing).await;
    assert_eq!(missing.status(), Some(&DatasetStatus::Failed));
    assert!(
        missing
            .message()
            .unwrap()
            .contains("s3://fw-errors/nope.csv")
    );
    let tests = env
        .comprehend
        .list_datasets()
        .flywheel_arn(good)
        .filter(
            aws_sdk_comprehend::types::DatasetFilter::builder()
                .dataset_type(DatasetType::Test)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(tests.dataset_properties_list().len(), 2);
    wait_for("listing", 1, || async { Some(()) }).await;
}

#[tokio::test]
async fn stopping_the_version_an_iteration_trains_stops_the_iteration() {
    let env = Env::start().await;
    env.s3
        .create_bucket()
        .bucket("stop-fw")
        .send()
        .await
        .unwrap();
    env.put(
        "stop-fw",
        "big.csv",
        crate::durability::synthetic_csv(80_000, 40),
    )
    .await;
    let multi_class = DocumentClassificationConfig::builder()
        .mode(DocumentClassifierMode::MultiClass)
        .build()
        .unwrap();
    let flywheel = new_model_flywheel(&env, "stoppable", multi_class, "s3://stop-fw/lake").await;
    let dataset = create_dataset(
        &env,
        &flywheel,
        "big",
        DatasetType::Train,
        "s3://stop-fw/big.csv",
    )
    .await;
    settled_dataset(&env.comprehend, &dataset).await;
    let id = start_iteration(&env.comprehend, &flywheel).await;
    let training = wait_for("the iteration's version to train", 60, || async {
        let listed = env
            .comprehend
            .list_document_classifiers()
            .filter(
                aws_sdk_comprehend::types::DocumentClassifierFilter::builder()
                    .status(ModelStatus::Training)
                    .build(),
            )
            .send()
            .await
            .ok()?;
        listed
            .document_classifier_properties_list()
            .first()
            .and_then(|p| p.document_classifier_arn())
            .map(str::to_owned)
    })
    .await;
    env.comprehend
        .stop_training_document_classifier()
        .document_classifier_arn(&training)
        .send()
        .await
        .unwrap();
    let it = finished_iteration(&env.comprehend, &flywheel, &id).await;
    assert_eq!(
        it.status(),
        Some(&FlywheelIterationStatus::Stopped),
        "{:?}",
        it.message()
    );
    let version = finished_classifier(&env.comprehend, &training).await;
    assert_eq!(version.status(), Some(&ModelStatus::Stopped));
}
