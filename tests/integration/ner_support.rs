//! Helpers of the entity recognizer tests: the fixtures under `tests/fixtures/ner`
//! (made by its `make_ner_fixtures.py`) in a bucket, create requests, and waiting.

use aws_sdk_comprehend::error::SdkError;
use aws_sdk_comprehend::operation::create_dataset::CreateDatasetError;
use aws_sdk_comprehend::operation::create_flywheel::CreateFlywheelError;
use aws_sdk_comprehend::types::{
    DatasetEntityRecognizerAnnotations, DatasetEntityRecognizerDocuments,
    DatasetEntityRecognizerInputDataConfig, DatasetInputDataConfig, DatasetType,
    EntityRecognitionConfig, EntityRecognizerAnnotations, EntityRecognizerDocuments,
    EntityRecognizerInputDataConfig, EntityRecognizerProperties, EntityTypesListItem,
    InputDataConfig, InputFormat, LanguageCode, ModelStatus, ModelType, OutputDataConfig,
    TaskConfig,
};

use crate::harness::{Env, ROLE, fixture_path, wait_for};

/// Every fixture file, as (key in the bucket, path under tests/fixtures).
pub fn fixture_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = [
        "train/documents.txt",
        "test/documents.txt",
        "annotations/train.csv",
        "annotations/test.csv",
        "annotations/files.csv",
        "entity_list.csv",
        "manifest-train.jsonl",
        "manifest-test.jsonl",
    ]
    .iter()
    .map(|k| (k.to_string(), format!("ner/{k}")))
    .collect();
    for n in 0..40 {
        let key = format!("files/doc-{n:02}.txt");
        files.push((key.clone(), format!("ner/{key}")));
    }
    files
}

/// A bucket holding every NER fixture under the same keys.
pub async fn ner_bucket(env: &Env, bucket: &str) {
    let files = fixture_files();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(k, p)| (k.as_str(), p.as_str()))
        .collect();
    env.bucket_with(bucket, &refs).await;
}

/// A fixture's text.
pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_path(&format!("ner/{name}"))).expect("fixture")
}

/// The entity types list of a request.
pub fn types(names: &[&str]) -> Vec<EntityTypesListItem> {
    names
        .iter()
        .map(|t| EntityTypesListItem::builder().r#type(*t).build().unwrap())
        .collect()
}

/// Annotated ONE_DOC_PER_LINE training data (documents + annotations) in `bucket`.
pub fn annotated(bucket: &str, docs: &str, notes: &str) -> EntityRecognizerInputDataConfig {
    EntityRecognizerInputDataConfig::builder()
        .set_entity_types(Some(types(&["PERSON", "LOCATION"])))
        .documents(
            EntityRecognizerDocuments::builder()
                .s3_uri(format!("s3://{bucket}/{docs}"))
                .build()
                .unwrap(),
        )
        .annotations(
            EntityRecognizerAnnotations::builder()
                .s3_uri(format!("s3://{bucket}/{notes}"))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

/// CreateEntityRecognizer in English; the ARN or the SDK error.
pub async fn create(
    env: &Env,
    name: &str,
    version: Option<&str>,
    input: EntityRecognizerInputDataConfig,
) -> String {
    env.comprehend
        .create_entity_recognizer()
        .recognizer_name(name)
        .set_version_name(version.map(str::to_owned))
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .input_data_config(input)
        .send()
        .await
        .expect("create entity recognizer")
        .entity_recognizer_arn
        .expect("arn")
}

/// A recognizer's properties.
pub async fn describe(env: &Env, arn: &str) -> EntityRecognizerProperties {
    env.comprehend
        .describe_entity_recognizer()
        .entity_recognizer_arn(arn)
        .send()
        .await
        .expect("describe")
        .entity_recognizer_properties
        .expect("properties")
}

/// A recognizer's properties once it is no longer SUBMITTED, TRAINING or STOP_REQUESTED.
pub async fn finished(
    client: &aws_sdk_comprehend::Client,
    arn: &str,
) -> EntityRecognizerProperties {
    wait_for(&format!("{arn} to finish training"), 180, || async {
        let props = client
            .describe_entity_recognizer()
            .entity_recognizer_arn(arn)
            .send()
            .await
            .ok()?
            .entity_recognizer_properties?;
        match props.status() {
            Some(ModelStatus::Submitted | ModelStatus::Training | ModelStatus::StopRequested) => {
                None
            }
            _ => Some(props),
        }
    })
    .await
}

/// Asserts a finished recognizer TRAINED with sound 0–100 metrics for both types.
pub fn assert_trained(props: &EntityRecognizerProperties) {
    assert_eq!(
        props.status(),
        Some(&ModelStatus::Trained),
        "{:?}",
        props.message()
    );
    let meta = props.recognizer_metadata().expect("metadata");
    assert!(meta.number_of_trained_documents().unwrap_or(0) > 0);
    assert!(meta.number_of_test_documents().unwrap_or(0) > 0);
    let overall = meta.evaluation_metrics().expect("metrics");
    let f1 = overall.f1_score().unwrap();
    assert!(
        (0.0..=100.0).contains(&f1) && f1 > 1.0,
        "F1 on the 0–100 scale: {f1}"
    );
    let mut seen: Vec<&str> = meta
        .entity_types()
        .iter()
        .map(|t| t.r#type().unwrap())
        .collect();
    seen.sort();
    assert_eq!(seen, ["LOCATION", "PERSON"]);
    for t in meta.entity_types() {
        assert!(t.number_of_train_mentions().unwrap() >= 25, "{t:?}");
        assert!(t.evaluation_metrics().unwrap().f1_score().is_some());
    }
}

/// The fixture's training documents repeated `times` times, as one file `big.txt` with
/// its annotations renumbered: a corpus that takes a while to ingest and train.
pub fn repeated(times: usize) -> (String, String) {
    let docs: Vec<String> = fixture("train/documents.txt")
        .lines()
        .map(str::to_owned)
        .collect();
    let notes = fixture("annotations/train.csv");
    let rows: Vec<&str> = notes.lines().skip(1).collect();
    let mut text = String::new();
    let mut csv = String::from("File,Line,Begin Offset,End Offset,Type\n");
    for n in 0..times {
        for doc in &docs {
            text.push_str(doc);
            text.push('\n');
        }
        for row in &rows {
            let fields: Vec<&str> = row.split(',').collect();
            let line: usize = fields[1].parse().unwrap();
            csv.push_str(&format!(
                "big.txt,{},{},{},{}\n",
                line + n * docs.len(),
                fields[2],
                fields[3],
                fields[4]
            ));
        }
    }
    (text, csv)
}

/// A dataset's documents in `bucket`: one per line, or one per file.
pub fn documents(bucket: &str, key: &str, format: InputFormat) -> DatasetEntityRecognizerDocuments {
    DatasetEntityRecognizerDocuments::builder()
        .s3_uri(format!("s3://{bucket}/{key}"))
        .input_format(format)
        .build()
        .unwrap()
}

/// A dataset configuration of documents with an annotations CSV, both in `bucket`.
pub fn annotated_dataset(
    bucket: &str,
    (docs, notes, format): (&str, &str, InputFormat),
) -> DatasetInputDataConfig {
    let config = DatasetEntityRecognizerInputDataConfig::builder()
        .documents(documents(bucket, docs, format))
        .annotations(
            DatasetEntityRecognizerAnnotations::builder()
                .s3_uri(format!("s3://{bucket}/{notes}"))
                .build()
                .unwrap(),
        )
        .build();
    DatasetInputDataConfig::builder()
        .entity_recognizer_input_data_config(config)
        .build()
}

/// CreateDataset on `flywheel`; the dataset's ARN or the SDK error.
pub async fn try_dataset(
    client: &aws_sdk_comprehend::Client,
    flywheel: &str,
    name: &str,
    kind: DatasetType,
    input: DatasetInputDataConfig,
) -> Result<String, SdkError<CreateDatasetError>> {
    client
        .create_dataset()
        .flywheel_arn(flywheel)
        .dataset_name(name)
        .dataset_type(kind)
        .input_data_config(input)
        .send()
        .await
        .map(|out| out.dataset_arn.unwrap_or_default())
}

/// TaskConfig for a new English recognizer of `names`.
pub fn entity_task(names: &[&str]) -> TaskConfig {
    let config = EntityRecognitionConfig::builder()
        .set_entity_types(Some(types(names)))
        .build()
        .unwrap();
    TaskConfig::builder()
        .language_code(LanguageCode::En)
        .entity_recognition_config(config)
        .build()
        .unwrap()
}

/// CreateFlywheel for a new recognizer, its lake under `s3://<bucket>/lake`.
pub async fn new_flywheel(
    client: &aws_sdk_comprehend::Client,
    (bucket, name): (&str, &str),
    task: TaskConfig,
) -> Result<String, SdkError<CreateFlywheelError>> {
    client
        .create_flywheel()
        .flywheel_name(name)
        .model_type(ModelType::EntityRecognizer)
        .task_config(task)
        .data_access_role_arn(ROLE)
        .data_lake_s3_uri(format!("s3://{bucket}/lake"))
        .send()
        .await
        .map(|out| out.flywheel_arn.unwrap_or_default())
}

/// A job's input (the fixture's test documents, one per line) and output in `bucket`.
pub fn job_io(bucket: &str) -> (InputDataConfig, OutputDataConfig) {
    let input = InputDataConfig::builder()
        .s3_uri(format!("s3://{bucket}/test/documents.txt"))
        .build()
        .unwrap();
    let output = OutputDataConfig::builder()
        .s3_uri(format!("s3://{bucket}/out/"))
        .build()
        .unwrap();
    (input, output)
}
