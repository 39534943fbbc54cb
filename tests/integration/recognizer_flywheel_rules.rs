//! The rules of recognizer flywheels through aws-sdk-comprehend: what CreateFlywheel and
//! CreateDataset refuse, datasets in every format (an entity list, an augmented manifest)
//! and bad data that ends a dataset FAILED with a message naming the object and line, and
//! what a recognizer flywheel refuses of the other model kind.

use aws_sdk_comprehend::error::SdkError;
use aws_sdk_comprehend::operation::create_flywheel::CreateFlywheelError;
use aws_sdk_comprehend::types::{
    DatasetAugmentedManifestsListItem, DatasetDataFormat, DatasetEntityRecognizerEntityList,
    DatasetEntityRecognizerInputDataConfig, DatasetInputDataConfig, DatasetProperties,
    DatasetStatus, DatasetType, FlywheelIterationStatus, InputFormat, LanguageCode, ModelType,
    TaskConfig,
};

use crate::harness::{
    Env, ROLE, assert_dataset_completed, assert_iteration_completed, code, finished_iteration,
    settled_dataset, settled_flywheel, start_iteration,
};
use crate::ner_support::{
    annotated_dataset, documents, entity_task, job_io, ner_bucket, new_flywheel, try_dataset,
};

fn refused(result: Result<String, SdkError<CreateFlywheelError>>) -> String {
    code(&result.expect_err("refused"))
}

/// CreateFlywheel for a new recognizer checks its types and that the task fits the kind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_flywheel_checks_a_recognizers_task() {
    let env = Env::start().await;
    ner_bucket(&env, "ner").await;
    let bad = "InvalidRequestException";
    for types in [&[][..], &["PERSON", "PERSON"]] {
        let made = new_flywheel(&env.comprehend, ("ner", "types"), entity_task(types)).await;
        assert_eq!(refused(made), bad, "{types:?}");
    }
    let without = TaskConfig::builder()
        .language_code(LanguageCode::En)
        .build()
        .unwrap();
    let made = new_flywheel(&env.comprehend, ("ner", "no-config"), without).await;
    assert_eq!(refused(made), bad, "ENTITY_RECOGNIZER without its config");
    let japanese = TaskConfig::builder()
        .language_code(LanguageCode::Ja)
        .entity_recognition_config(
            entity_task(&["PERSON"])
                .entity_recognition_config()
                .unwrap()
                .clone(),
        )
        .build()
        .unwrap();
    let made = new_flywheel(&env.comprehend, ("ner", "japanese"), japanese).await;
    assert_eq!(refused(made), "UnsupportedLanguageException");
    let as_classifier = env
        .comprehend
        .create_flywheel()
        .flywheel_name("mixed")
        .model_type(ModelType::DocumentClassifier)
        .task_config(entity_task(&["PERSON"]))
        .data_access_role_arn(ROLE)
        .data_lake_s3_uri("s3://ner/lake")
        .send()
        .await
        .map(|_| String::new());
    assert_eq!(
        refused(as_classifier),
        bad,
        "a recognizer's task as a classifier"
    );
    let disagreeing = env
        .comprehend
        .create_flywheel()
        .flywheel_name("disagreeing")
        .model_type(ModelType::DocumentClassifier)
        .active_model_arn(env.arn("entity-recognizer/people/version/v1"))
        .data_access_role_arn(ROLE)
        .data_lake_s3_uri("s3://ner/lake")
        .send()
        .await
        .map(|_| String::new());
    assert_eq!(refused(disagreeing), bad, "ModelType against the model");
}

/// A new PERSON-only flywheel, ACTIVE.
async fn person_flywheel(env: &Env, name: &str) -> String {
    let made = new_flywheel(&env.comprehend, ("ner", name), entity_task(&["PERSON"])).await;
    let flywheel = made.expect("CreateFlywheel");
    settled_flywheel(&env.comprehend, &flywheel).await;
    flywheel
}

/// Creates a dataset and waits for it to settle.
async fn settled(
    env: &Env,
    flywheel: &str,
    (name, kind): (&str, DatasetType),
    input: DatasetInputDataConfig,
) -> DatasetProperties {
    let arn = try_dataset(&env.comprehend, flywheel, name, kind, input).await;
    settled_dataset(&env.comprehend, &arn.expect("CreateDataset")).await
}

/// Documents with an entity list.
fn listed(docs: &str) -> DatasetInputDataConfig {
    let list = DatasetEntityRecognizerEntityList::builder()
        .s3_uri("s3://ner/entity_list.csv")
        .build()
        .unwrap();
    let config = DatasetEntityRecognizerInputDataConfig::builder()
        .documents(documents("ner", docs, InputFormat::OneDocPerLine))
        .entity_list(list)
        .build();
    DatasetInputDataConfig::builder()
        .entity_recognizer_input_data_config(config)
        .build()
}

/// A Ground Truth manifest with its `ner-labels` attribute.
fn manifest(key: &str) -> DatasetInputDataConfig {
    let item = DatasetAugmentedManifestsListItem::builder()
        .s3_uri(format!("s3://ner/{key}"))
        .attribute_names("ner-labels")
        .build()
        .unwrap();
    DatasetInputDataConfig::builder()
        .data_format(DatasetDataFormat::AugmentedManifest)
        .augmented_manifests(item)
        .build()
}

/// Datasets from an entity list and from augmented manifests are ingested, mentions of
/// types the flywheel does not list are dropped and counted, and an iteration trains on
/// them; the flywheel refuses to lose its active version.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datasets_from_entity_lists_and_manifests_train_a_version() {
    let env = Env::start().await;
    ner_bucket(&env, "ner").await;
    let flywheel = person_flywheel(&env, "formats").await;
    let flywheels = env.comprehend.list_flywheels().send().await.unwrap();
    let summary = &flywheels.flywheel_summary_list()[0];
    assert_eq!(summary.model_type(), Some(&ModelType::EntityRecognizer));
    let early = start_iteration(&env.comprehend, &flywheel).await;
    let it = finished_iteration(&env.comprehend, &flywheel, &early).await;
    assert_eq!(it.status(), Some(&FlywheelIterationStatus::Failed));
    assert!(it.message().unwrap().contains("no completed TRAIN dataset"));
    let from_list = settled(
        &env,
        &flywheel,
        ("listed", DatasetType::Train),
        listed("train/"),
    )
    .await;
    assert_dataset_completed(&from_list);
    assert_eq!(from_list.number_of_documents(), Some(60));
    let dropped = from_list.message().unwrap_or_default();
    assert!(
        dropped.contains("LOCATION"),
        "the dropped type named: {dropped}"
    );
    let test = settled(
        &env,
        &flywheel,
        ("gt", DatasetType::Test),
        manifest("manifest-test.jsonl"),
    )
    .await;
    assert_dataset_completed(&test);
    let lines = crate::ner_support::fixture("manifest-test.jsonl")
        .lines()
        .count();
    assert_eq!(test.number_of_documents(), Some(lines as i64));
    let more = manifest("manifest-train.jsonl");
    assert_dataset_completed(
        &settled(&env, &flywheel, ("gt-train", DatasetType::Train), more).await,
    );
    let id = start_iteration(&env.comprehend, &flywheel).await;
    let it = finished_iteration(&env.comprehend, &flywheel, &id).await;
    assert_iteration_completed(&it);
    let version = it.trained_model_arn().expect("a version").to_owned();
    let err = env
        .comprehend
        .delete_entity_recognizer()
        .entity_recognizer_arn(&version)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceInUseException", "the active version");
    the_other_kind_is_refused(&env, &flywheel).await;
}

/// Classifier inputs and jobs through a recognizer flywheel.
async fn the_other_kind_is_refused(env: &Env, flywheel: &str) {
    let (input, output) = job_io("ner");
    let err = env
        .comprehend
        .start_document_classification_job()
        .flywheel_arn(flywheel)
        .input_data_config(input)
        .output_data_config(output)
        .data_access_role_arn(ROLE)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
    let err = env
        .comprehend
        .update_flywheel()
        .flywheel_arn(flywheel)
        .active_model_arn(env.arn("document-classifier/other/version/v1"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
}

/// Annotations and an entity list together are refused; bad annotations and annotations of
/// documents that are not there end the dataset FAILED, naming the object and line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_recognizer_datasets_fail_naming_the_line() {
    let env = Env::start().await;
    ner_bucket(&env, "ner").await;
    let flywheel = person_flywheel(&env, "strict").await;
    let both = DatasetEntityRecognizerInputDataConfig::builder()
        .documents(documents("ner", "train/", InputFormat::OneDocPerLine))
        .annotations(
            aws_sdk_comprehend::types::DatasetEntityRecognizerAnnotations::builder()
                .s3_uri("s3://ner/annotations/train.csv")
                .build()
                .unwrap(),
        )
        .entity_list(
            DatasetEntityRecognizerEntityList::builder()
                .s3_uri("s3://ner/entity_list.csv")
                .build()
                .unwrap(),
        )
        .build();
    let both = DatasetInputDataConfig::builder()
        .entity_recognizer_input_data_config(both)
        .build();
    let err = try_dataset(&env.comprehend, &flywheel, "both", DatasetType::Train, both).await;
    assert_eq!(code(&err.unwrap_err()), "InvalidRequestException");
    let good = crate::ner_support::fixture("annotations/train.csv");
    assert!(good.starts_with("File,Line,Begin Offset,End Offset,Type\n"));
    let row = good.lines().count() + 1;
    // AWS's message for an offset past the end names the document and its line (Line 2
    // is the third line); an unknown document is named with the annotation's own line.
    let cases = [
        (
            "past-end",
            "documents.txt,2,0,4000,PERSON\n",
            "the file documents.txt on line 3".to_owned(),
        ),
        (
            "missing",
            "elsewhere.txt,0,0,4,PERSON\n",
            format!("line {row} of the file missing.csv"),
        ),
    ];
    for (name, extra, expected) in cases {
        let key = format!("bad/{name}.csv");
        env.put("ner", &key, format!("{good}{extra}")).await;
        let source = ("train/", key.as_str(), InputFormat::OneDocPerLine);
        let input = annotated_dataset("ner", source);
        let d = settled(&env, &flywheel, (name, DatasetType::Train), input).await;
        assert_eq!(d.status(), Some(&DatasetStatus::Failed), "{name}");
        let message = d.message().unwrap_or_default();
        assert!(message.contains(&expected), "{name}: {message}");
    }
}
