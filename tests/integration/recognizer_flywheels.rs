//! Flywheels of custom entity recognizers through aws-sdk-comprehend: made from a trained
//! recognizer or for a new one, datasets of annotated documents in every format, iterations
//! that train and score recognizer versions, promotion, and inference through the flywheel.

use aws_sdk_comprehend::operation::update_flywheel::UpdateFlywheelError;
use aws_sdk_comprehend::types::{
    DatasetDocumentClassifierInputDataConfig, DatasetInputDataConfig, DatasetType, EndpointStatus,
    FlywheelModelEvaluationMetrics, FlywheelStatus, InputFormat, JobStatus, LanguageCode,
    ModelStatus, ModelType,
};

use crate::harness::{
    Env, ROLE, Wire, assert_dataset_completed, assert_iteration_completed, code, endpoint_ready,
    finished_iteration, over_both_wires, settled_dataset, settled_flywheel, start_iteration,
    wait_for,
};
use crate::ner_support::{
    annotated, annotated_dataset, assert_trained, create, entity_task, finished, job_io,
    ner_bucket, new_flywheel, try_dataset,
};

fn in_unit_range(m: &FlywheelModelEvaluationMetrics) {
    for v in [
        m.average_f1_score(),
        m.average_precision(),
        m.average_recall(),
        m.average_accuracy(),
    ] {
        let v = v.expect("metric");
        assert!(
            (0.0..=1.0).contains(&v),
            "flywheel metrics are on 0–1: {m:?}"
        );
    }
}

over_both_wires!(a_recognizer_flywheel_iterates_promotes_and_serves);

/// From a trained recognizer: its data becomes the first datasets, a dataset of more
/// documents (one per file) is ingested, an iteration trains and scores a new version,
/// which is promoted; an endpoint and a job through the flywheel use it.
async fn a_recognizer_flywheel_iterates_promotes_and_serves(wire: Wire) {
    let env = Env::start_over(wire, |_| {}).await;
    ner_bucket(&env, "ner").await;
    let input = annotated("ner", "train/", "annotations/train.csv");
    let model = create(&env, "people", Some("v1"), input).await;
    assert_trained(&finished(&env.comprehend, &model).await);
    let flywheel = flywheel_from(&env, &model).await;
    let files = (
        "files/",
        "annotations/files.csv",
        InputFormat::OneDocPerFile,
    );
    let more = try_dataset(
        &env.comprehend,
        &flywheel,
        "more",
        DatasetType::Train,
        annotated_dataset("ner", files),
    );
    let more = more.await.expect("CreateDataset");
    let ingested = settled_dataset(&env.comprehend, &more).await;
    assert_dataset_completed(&ingested);
    assert_eq!(ingested.number_of_documents(), Some(40));
    let trained = iterate(&env, &flywheel, &model).await;
    let wrong = env.arn("document-classifier/people/version/v1");
    let err = update(&env, &flywheel, &wrong).await.unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
    let endpoint = endpoint_on(&env, &flywheel, &model).await;
    update(&env, &flywheel, &trained).await.expect("promote");
    endpoint_follows(&env, &endpoint, &trained).await;
    job_through(&env, &flywheel, &trained).await;
}

/// A flywheel made from `model`, ACTIVE, with the recognizer's types and its 60
/// documents as the first datasets.
async fn flywheel_from(env: &Env, model: &str) -> String {
    let flywheel = env
        .comprehend
        .create_flywheel()
        .flywheel_name("people-fw")
        .active_model_arn(model)
        .data_access_role_arn(ROLE)
        .data_lake_s3_uri("s3://ner/lake")
        .send()
        .await
        .expect("CreateFlywheel")
        .flywheel_arn
        .unwrap();
    let props = settled_flywheel(&env.comprehend, &flywheel).await;
    let status = props.status();
    assert_eq!(
        status,
        Some(&FlywheelStatus::Active),
        "{:?}",
        props.message()
    );
    assert_eq!(props.model_type(), Some(&ModelType::EntityRecognizer));
    let config = props.task_config().unwrap().entity_recognition_config();
    let listed: Vec<&str> = config
        .unwrap()
        .entity_types()
        .iter()
        .map(|t| t.r#type())
        .collect();
    assert_eq!(listed, ["PERSON", "LOCATION"]);
    let first = env
        .comprehend
        .list_datasets()
        .flywheel_arn(&flywheel)
        .send()
        .await
        .unwrap();
    let total: i64 = first
        .dataset_properties_list()
        .iter()
        .map(|d| d.number_of_documents().unwrap_or(0))
        .sum();
    assert_eq!(total, 60, "the model's 60 documents, train and test");
    flywheel
}

/// One iteration: the active `model` scored, a new version trained and scored (0–1
/// metrics, matching the version's own 0–100 F1), not promoted. The new version's ARN.
async fn iterate(env: &Env, flywheel: &str, model: &str) -> String {
    let id = start_iteration(&env.comprehend, flywheel).await;
    let it = finished_iteration(&env.comprehend, flywheel, &id).await;
    assert_iteration_completed(&it);
    assert_eq!(it.evaluated_model_arn(), Some(model));
    let trained = it.trained_model_arn().expect("a new version").to_owned();
    let generated = ":entity-recognizer/people/version/Comprehend-Generated-v1-";
    assert!(trained.contains(generated), "{trained}");
    in_unit_range(it.evaluated_model_metrics().unwrap());
    in_unit_range(it.trained_model_metrics().unwrap());
    let version = finished(&env.comprehend, &trained).await;
    let status = version.status();
    assert_eq!(
        status,
        Some(&ModelStatus::Trained),
        "{:?}",
        version.message()
    );
    assert_eq!(version.flywheel_arn(), Some(flywheel));
    let stats = version
        .output_data_config()
        .unwrap()
        .flywheel_stats_s3_prefix();
    let manifest = it.evaluation_manifest_s3_prefix().unwrap();
    let lake = lake_keys(env, "s3://ner/lake/").await;
    for expected in [
        format!("{manifest}evaluation_manifest.json"),
        format!("{}metrics.json", stats.unwrap()),
    ] {
        assert!(lake.contains(&expected), "{expected} in {lake:?}");
    }
    for data in ["documents.txt", "annotations.csv"] {
        let in_datasets = |k: &String| k.contains("/datasets/more/") && k.ends_with(data);
        assert!(lake.iter().any(in_datasets), "the dataset's {data}");
    }
    let metrics = version.recognizer_metadata().unwrap().evaluation_metrics();
    let f1 = metrics.unwrap().f1_score().unwrap();
    let flywheel_f1 = it.trained_model_metrics().unwrap().average_f1_score();
    let flywheel_f1 = flywheel_f1.unwrap();
    assert!(
        (f1 / 100.0 - flywheel_f1).abs() < 1e-3,
        "{f1} on 0–100 is {flywheel_f1} on 0–1"
    );
    let active = env
        .comprehend
        .describe_flywheel()
        .flywheel_arn(flywheel)
        .send()
        .await
        .unwrap();
    let active = active.flywheel_properties().unwrap().active_model_arn();
    assert_eq!(active, Some(model), "nothing promoted automatically");
    trained
}

/// Every object under `prefix` (an `s3://ner/` URI), as URIs.
async fn lake_keys(env: &Env, prefix: &str) -> Vec<String> {
    let key = prefix.strip_prefix("s3://ner/").unwrap();
    let listed = env.s3.list_objects_v2().bucket("ner").prefix(key).send();
    let listed = listed.await.unwrap();
    let keys = listed.contents().iter().filter_map(|o| o.key());
    keys.map(|k| format!("s3://ner/{k}")).collect()
}

async fn update(
    env: &Env,
    flywheel: &str,
    model: &str,
) -> Result<(), aws_sdk_comprehend::error::SdkError<UpdateFlywheelError>> {
    env.comprehend
        .update_flywheel()
        .flywheel_arn(flywheel)
        .active_model_arn(model)
        .send()
        .await
        .map(|_| ())
}

/// An endpoint created with the flywheel, serving its active version `first`.
async fn endpoint_on(env: &Env, flywheel: &str, first: &str) -> String {
    let endpoint = env
        .comprehend
        .create_endpoint()
        .endpoint_name("people")
        .flywheel_arn(flywheel)
        .desired_inference_units(1)
        .send()
        .await
        .expect("CreateEndpoint with FlywheelArn")
        .endpoint_arn
        .unwrap();
    let ready = endpoint_ready(&env.comprehend, &endpoint).await;
    assert_eq!(ready.model_arn(), Some(first));
    endpoint
}

/// The endpoint moves to the promoted version and DetectEntities answers from it.
async fn endpoint_follows(env: &Env, endpoint: &str, trained: &str) {
    wait_for("the endpoint to follow the promotion", 60, || async {
        let p = env
            .comprehend
            .describe_endpoint()
            .endpoint_arn(endpoint)
            .send()
            .await
            .ok()?
            .endpoint_properties?;
        let serving = p.status() == Some(&EndpointStatus::InService);
        (p.model_arn() == Some(trained) && serving).then_some(())
    })
    .await;
    let found = env
        .comprehend
        .detect_entities()
        .endpoint_arn(endpoint)
        .text("Yesterday Maria Garcia flew to Paris.")
        .send()
        .await
        .expect("DetectEntities through the flywheel's endpoint");
    assert!(!found.entities().is_empty());
}

/// StartEntitiesDetectionJob with FlywheelArn uses the active version.
async fn job_through(env: &Env, flywheel: &str, trained: &str) {
    let (input, output) = job_io("ner");
    let job = env
        .comprehend
        .start_entities_detection_job()
        .flywheel_arn(flywheel)
        .input_data_config(input)
        .output_data_config(output)
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .send()
        .await
        .expect("StartEntitiesDetectionJob with FlywheelArn")
        .job_id
        .unwrap();
    let props = wait_for("the job", 120, || async {
        let p = env
            .comprehend
            .describe_entities_detection_job()
            .job_id(&job)
            .send()
            .await
            .ok()?
            .entities_detection_job_properties?;
        let ended = matches!(
            p.job_status(),
            Some(JobStatus::Completed | JobStatus::Failed)
        );
        ended.then_some(p)
    })
    .await;
    let status = props.job_status();
    assert_eq!(status, Some(&JobStatus::Completed), "{:?}", props.message());
    assert_eq!(props.entity_recognizer_arn(), Some(trained));
    assert_eq!(props.flywheel_arn(), Some(flywheel));
}

/// A flywheel for a new recognizer: types checked, datasets of its own kind only, and its
/// first iteration adopts the version it trains; the next, without new data, only
/// evaluates.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_recognizer_flywheel_adopts_its_first_version() {
    let env = Env::start().await;
    ner_bucket(&env, "ner").await;
    let names: Vec<String> = (0..26).map(|i| format!("T{i}")).collect();
    let too_many: Vec<&str> = names.iter().map(String::as_str).collect();
    let err = new_flywheel(&env.comprehend, ("ner", "too-many"), entity_task(&too_many)).await;
    assert_eq!(code(&err.unwrap_err()), "InvalidRequestException");
    let task = entity_task(&["PERSON", "LOCATION"]);
    let flywheel = new_flywheel(&env.comprehend, ("ner", "fresh"), task)
        .await
        .expect("CreateFlywheel");
    let props = settled_flywheel(&env.comprehend, &flywheel).await;
    assert_eq!(props.status(), Some(&FlywheelStatus::Active));
    refuses_classifier_datasets(&env, &flywheel).await;
    let lines = |d: &'static str, n: &'static str| (d, n, InputFormat::OneDocPerLine);
    let notes = [
        (
            "train",
            DatasetType::Train,
            lines("train/", "annotations/train.csv"),
        ),
        (
            "test",
            DatasetType::Test,
            lines("test/", "annotations/test.csv"),
        ),
    ];
    for (name, kind, source) in notes {
        let arn = try_dataset(
            &env.comprehend,
            &flywheel,
            name,
            kind,
            annotated_dataset("ner", source),
        );
        let arn = arn.await.expect("CreateDataset");
        let d = settled_dataset(&env.comprehend, &arn).await;
        assert_dataset_completed(&d);
    }
    let id = start_iteration(&env.comprehend, &flywheel).await;
    let it = finished_iteration(&env.comprehend, &flywheel, &id).await;
    assert_iteration_completed(&it);
    assert!(
        it.evaluated_model_arn().is_none(),
        "no version before the first"
    );
    let described = env
        .comprehend
        .describe_flywheel()
        .flywheel_arn(&flywheel)
        .send()
        .await
        .unwrap();
    let active = described.flywheel_properties().unwrap().active_model_arn();
    assert_eq!(active, it.trained_model_arn());
    let again = start_iteration(&env.comprehend, &flywheel).await;
    let it = finished_iteration(&env.comprehend, &flywheel, &again).await;
    let message = it.message().unwrap_or_default();
    assert!(message.starts_with("EVALUATION_ONLY"), "{message}");
}

/// A classifier's dataset configuration on a recognizer flywheel.
async fn refuses_classifier_datasets(env: &Env, flywheel: &str) {
    let csv = DatasetDocumentClassifierInputDataConfig::builder()
        .s3_uri("s3://ner/x.csv")
        .build()
        .unwrap();
    let err = env
        .comprehend
        .create_dataset()
        .flywheel_arn(flywheel)
        .dataset_name("csv")
        .input_data_config(
            DatasetInputDataConfig::builder()
                .document_classifier_input_data_config(csv)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
}
