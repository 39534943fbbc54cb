//! Custom entity recognizers through aws-sdk-comprehend: training on every input format
//! (real training by the entity engine), the metadata Describe shows, and training data
//! a user got wrong.

use aws_sdk_comprehend::types::{
    AugmentedManifestsListItem, EntityRecognizerDataFormat, EntityRecognizerDocuments,
    EntityRecognizerEntityList, EntityRecognizerInputDataConfig, InputFormat, ModelStatus, Split,
};

use crate::harness::{ACCOUNT, Env, Wire, over_both_wires};
use crate::ner_support::{
    annotated, assert_trained, create, describe, finished, fixture, ner_bucket, types,
};

over_both_wires!(annotations_one_doc_per_line_train_and_describe_echoes_defaults);

async fn annotations_one_doc_per_line_train_and_describe_echoes_defaults(wire: Wire) {
    let env = Env::start_over(wire, |_| {}).await;
    ner_bucket(&env, "ner").await;
    let input = annotated("ner", "train/", "annotations/train.csv");
    let arn = create(&env, "people", Some("v1"), input).await;
    assert_eq!(
        arn,
        format!("arn:aws:comprehend:us-east-1:{ACCOUNT}:entity-recognizer/people/version/v1")
    );
    let props = finished(&env.comprehend, &arn).await;
    assert_trained(&props);
    let input = props.input_data_config().unwrap();
    assert_eq!(
        input.data_format(),
        Some(&EntityRecognizerDataFormat::ComprehendCsv)
    );
    assert_eq!(
        input.documents().unwrap().input_format(),
        Some(&InputFormat::OneDocPerLine)
    );
    assert!(props.output_data_config().is_none());
    assert!(props.training_start_time().is_some() && props.end_time().is_some());
    let meta = props.recognizer_metadata().unwrap();
    // No test data: a held-out part of the 60 documents is the test set.
    assert_eq!(
        meta.number_of_trained_documents().unwrap() + meta.number_of_test_documents().unwrap(),
        60
    );
    let summaries = env
        .comprehend
        .list_entity_recognizer_summaries()
        .send()
        .await
        .unwrap();
    let summary = &summaries.entity_recognizer_summaries_list()[0];
    assert_eq!(summary.recognizer_name(), Some("people"));
    assert_eq!(summary.latest_version_name(), Some("v1"));
    assert_eq!(summary.latest_version_status(), Some(&ModelStatus::Trained));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explicit_test_data_is_the_test_set() {
    let env = Env::start().await;
    ner_bucket(&env, "ner").await;
    let mut input = annotated("ner", "train/documents.txt", "annotations/train.csv");
    input.documents.as_mut().unwrap().test_s3_uri = Some("s3://ner/test/documents.txt".into());
    input.annotations.as_mut().unwrap().test_s3_uri = Some("s3://ner/annotations/test.csv".into());
    let arn = create(&env, "with-test", None, input).await;
    let props = finished(&env.comprehend, &arn).await;
    assert_trained(&props);
    let meta = props.recognizer_metadata().unwrap();
    assert_eq!(meta.number_of_trained_documents(), Some(60));
    assert_eq!(meta.number_of_test_documents(), Some(12));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_doc_per_file_trains() {
    let env = Env::start().await;
    ner_bucket(&env, "ner").await;
    let mut input = annotated("ner", "files/", "annotations/files.csv");
    input.documents.as_mut().unwrap().input_format = Some(InputFormat::OneDocPerFile);
    let arn = create(&env, "per-file", None, input).await;
    let props = finished(&env.comprehend, &arn).await;
    assert_trained(&props);
    let meta = props.recognizer_metadata().unwrap();
    assert_eq!(
        meta.number_of_trained_documents().unwrap() + meta.number_of_test_documents().unwrap(),
        40
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entity_list_trains() {
    let env = Env::start().await;
    ner_bucket(&env, "ner").await;
    let input = EntityRecognizerInputDataConfig::builder()
        .set_entity_types(Some(types(&["PERSON", "LOCATION"])))
        .documents(
            EntityRecognizerDocuments::builder()
                .s3_uri("s3://ner/train/documents.txt")
                .build()
                .unwrap(),
        )
        .entity_list(
            EntityRecognizerEntityList::builder()
                .s3_uri("s3://ner/entity_list.csv")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let arn = create(&env, "listed", None, input).await;
    assert_trained(&finished(&env.comprehend, &arn).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn augmented_manifests_train_with_a_test_split() {
    let env = Env::start().await;
    ner_bucket(&env, "ner").await;
    let manifest = |key: &str, split: Split| {
        AugmentedManifestsListItem::builder()
            .s3_uri(format!("s3://ner/{key}"))
            .attribute_names("ner-labels")
            .split(split)
            .build()
            .unwrap()
    };
    let input = EntityRecognizerInputDataConfig::builder()
        .data_format(EntityRecognizerDataFormat::AugmentedManifest)
        .set_entity_types(Some(types(&["PERSON", "LOCATION"])))
        .augmented_manifests(manifest("manifest-train.jsonl", Split::Train))
        .augmented_manifests(manifest("manifest-test.jsonl", Split::Test))
        .build()
        .unwrap();
    let arn = create(&env, "manifested", None, input).await;
    let props = finished(&env.comprehend, &arn).await;
    assert_trained(&props);
    let meta = props.recognizer_metadata().unwrap();
    assert_eq!(meta.number_of_trained_documents(), Some(60));
    assert_eq!(meta.number_of_test_documents(), Some(12));
    assert!(
        props.input_data_config().unwrap().documents().is_none(),
        "nothing added to a manifest request's echo"
    );
}

/// Types in the data that the request does not list are ignored; the version trains
/// with a warning naming them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unlisted_types_are_ignored_with_a_warning() {
    let env = Env::start().await;
    ner_bucket(&env, "ner").await;
    let mut input = annotated("ner", "train/", "annotations/train.csv");
    input.entity_types = types(&["PERSON"]);
    let arn = create(&env, "persons-only", None, input).await;
    let props = finished(&env.comprehend, &arn).await;
    assert_eq!(
        props.status(),
        Some(&ModelStatus::TrainedWithWarning),
        "{:?}",
        props.message()
    );
    let message = props.message().unwrap();
    assert!(message.contains("LOCATION"), "{message}");
    let meta = props.recognizer_metadata().unwrap();
    assert_eq!(meta.entity_types().len(), 1);
    assert_eq!(meta.entity_types()[0].r#type(), Some("PERSON"));
}

/// Training data a user got wrong: the version ends IN_ERROR with the engine's message,
/// which names the object and the line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_training_data_ends_in_error_naming_the_file_and_line() {
    let env = Env::start().await;
    ner_bucket(&env, "ner").await;
    let good = fixture("annotations/train.csv");
    let header = "File,Line,Begin Offset,End Offset,Type\n";
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "overlap",
            format!("{good}documents.txt,0,17,22,LOCATION\n").into_bytes(),
        ),
        (
            "end-before-begin",
            format!(
                "{header}documents.txt,0,20,10,PERSON\n{}",
                &good[header.len()..]
            )
            .into_bytes(),
        ),
        (
            "past-the-end",
            format!("{good}documents.txt,1,200,210,PERSON\n").into_bytes(),
        ),
        (
            "not-utf8",
            [header.as_bytes(), b"documents.txt,0,0,4,\xff\xfe\n"].concat(),
        ),
    ];
    let mut arns = Vec::new();
    for (name, body) in cases {
        env.put("ner", &format!("bad/{name}.csv"), body).await;
        let input = annotated("ner", "train/", &format!("bad/{name}.csv"));
        arns.push((name, create(&env, name, None, input).await));
    }
    env.put("ner", "bad/manifest.jsonl", "{\"source\": \"no end\n")
        .await;
    let input = EntityRecognizerInputDataConfig::builder()
        .data_format(EntityRecognizerDataFormat::AugmentedManifest)
        .set_entity_types(Some(types(&["PERSON", "LOCATION"])))
        .augmented_manifests(
            AugmentedManifestsListItem::builder()
                .s3_uri("s3://ner/bad/manifest.jsonl")
                .attribute_names("ner-labels")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    arns.push(("bad-json", create(&env, "bad-json", None, input).await));
    for (name, arn) in arns {
        let props = finished(&env.comprehend, &arn).await;
        assert_eq!(props.status(), Some(&ModelStatus::InError), "{name}");
        let message = props.message().unwrap_or_default();
        // The object named is the one at fault: the annotations CSV, the document an
        // annotation does not fit, or the manifest.
        let files = match name {
            "bad-json" => vec!["manifest.jsonl".to_owned()],
            _ => vec![format!("{name}.csv"), "documents.txt".to_owned()],
        };
        assert!(
            files.iter().any(|f| message.contains(f.as_str())) && message.contains("line"),
            "{name}: {message}"
        );
        assert!(props.recognizer_metadata().is_none(), "{name}");
    }
    let described = describe(&env, &env.arn("entity-recognizer/overlap")).await;
    assert!(
        described
            .message()
            .unwrap()
            .to_lowercase()
            .contains("overlap"),
        "{:?}",
        described.message()
    );
}

/// Files saved by editors and spreadsheet programs may start with a UTF-8 byte-order mark:
/// it is neither part of a CSV header, nor of a manifest's first JSON line, nor of the first
/// document.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn byte_order_marks_are_skipped() {
    let env = Env::start().await;
    ner_bucket(&env, "ner").await;
    let bom = |name: &str| [b"\xEF\xBB\xBF".as_slice(), fixture(name).as_bytes()].concat();
    env.put("ner", "bom/docs/documents.txt", bom("train/documents.txt"))
        .await;
    env.put("ner", "bom/annotations.csv", bom("annotations/train.csv"))
        .await;
    env.put("ner", "bom/manifest.jsonl", bom("manifest-train.jsonl"))
        .await;
    let csv = annotated("ner", "bom/docs/", "bom/annotations.csv");
    let manifest = EntityRecognizerInputDataConfig::builder()
        .data_format(EntityRecognizerDataFormat::AugmentedManifest)
        .set_entity_types(Some(types(&["PERSON", "LOCATION"])))
        .augmented_manifests(
            AugmentedManifestsListItem::builder()
                .s3_uri("s3://ner/bom/manifest.jsonl")
                .attribute_names("ner-labels")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    for (name, input) in [("bom-csv", csv), ("bom-manifest", manifest)] {
        let arn = create(&env, name, None, input).await;
        assert_trained(&finished(&env.comprehend, &arn).await);
    }
}
