//! Document classifiers: real training from S3 data, every error path, stop and delete.

use std::io::Read;

use aws_sdk_comprehend::operation::create_document_classifier::builders::CreateDocumentClassifierFluentBuilder;
use aws_sdk_comprehend::operation::list_document_classifiers::ListDocumentClassifiersOutput;
use aws_sdk_comprehend::types::{
    AugmentedManifestsListItem, DocumentClassifierDataFormat, DocumentClassifierFilter,
    DocumentClassifierInputDataConfig, DocumentClassifierMode, DocumentClassifierOutputDataConfig,
    DocumentClassifierProperties, LanguageCode, ModelStatus, Split,
};

use crate::harness::{
    Env, ROLE, Wire, code, create_classifier, finished_classifier, message, over_both_wires,
};

over_both_wires!(multi_class_trains_with_real_metrics_and_writes_its_output);

async fn multi_class_trains_with_real_metrics_and_writes_its_output(wire: Wire) {
    let env = Env::start_over(wire, |_| {}).await;
    env.bucket_with(
        "mc-data",
        &[
            ("train/part-1.csv", "wordnet-small/partial.csv"),
            ("train/part-2.csv", "wordnet-small/more.csv"),
        ],
    )
    .await;
    let arn = env
        .comprehend
        .create_document_classifier()
        .document_classifier_name("wordnet")
        .version_name("v1")
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .input_data_config(
            DocumentClassifierInputDataConfig::builder()
                .s3_uri("s3://mc-data/train/")
                .build(),
        )
        .output_data_config(
            DocumentClassifierOutputDataConfig::builder()
                .s3_uri("s3://mc-data/output/")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap();
    assert_eq!(arn, env.arn("document-classifier/wordnet/version/v1"));
    let props = finished_classifier(&env.comprehend, &arn).await;
    assert_eq!(
        props.status(),
        Some(&ModelStatus::Trained),
        "{:?}",
        props.message()
    );
    assert_eq!(props.mode(), Some(&DocumentClassifierMode::MultiClass));
    assert_eq!(
        props.input_data_config().unwrap().data_format(),
        Some(&DocumentClassifierDataFormat::ComprehendCsv)
    );
    assert!(
        props.training_start_time().is_some()
            && props.training_end_time().is_some()
            && props.end_time().is_some()
    );
    let meta = props.classifier_metadata().unwrap();
    assert_eq!(meta.number_of_labels(), Some(10));
    // Both objects under the prefix were read: 4,200 documents, 10 % held out.
    assert_eq!(
        meta.number_of_trained_documents().unwrap() + meta.number_of_test_documents().unwrap(),
        4200
    );
    assert_eq!(meta.number_of_test_documents(), Some(420));
    let m = meta.evaluation_metrics().unwrap();
    let accuracy = m.accuracy().unwrap();
    assert!(
        accuracy > 0.6,
        "a real model on WordNet glosses: accuracy {accuracy}"
    );
    assert_eq!(m.micro_f1_score(), Some(accuracy));
    assert_eq!(m.micro_precision(), Some(accuracy));
    assert!((m.hamming_loss().unwrap() - (1.0 - accuracy)).abs() < 1e-4);
    assert!(m.f1_score().unwrap() > 0.5);
    assert_multi_class_output(&env, &props).await;
}

/// output.tar.gz with confusion_matrix.json under <S3Uri><account>-CLR-<id>/output/: the
/// 10 labels' matrix, counting the 420 test documents.
async fn assert_multi_class_output(env: &Env, props: &DocumentClassifierProperties) {
    let output = props.output_data_config().unwrap().s3_uri().unwrap();
    let key = output.strip_prefix("s3://mc-data/").unwrap();
    assert!(
        key.starts_with("output/000000000000-CLR-") && key.ends_with("/output/output.tar.gz"),
        "{key}"
    );
    let archive = env.get("mc-data", key).await;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(archive.as_slice()));
    let mut entry = tar.entries().unwrap().next().unwrap().unwrap();
    assert_eq!(
        entry.path().unwrap().to_str(),
        Some("confusion_matrix.json")
    );
    let mut text = String::new();
    entry.read_to_string(&mut text).unwrap();
    let matrix: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(matrix["type"], "multi_class");
    assert_eq!(matrix["labels"].as_array().unwrap().len(), 10);
    let total: u64 = matrix["confusion_matrix"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(total, 420);
}

#[tokio::test]
async fn multi_label_with_explicit_test_data() {
    let env = Env::start().await;
    env.bucket_with("ml-data", &[("multi.csv", "multilabel.csv")])
        .await;
    let lines: Vec<&str> = include_str!("../fixtures/multilabel.csv").lines().collect();
    env.put("ml-data", "split/train.csv", lines[..320].join("\n"))
        .await;
    env.put("ml-data", "split/test.csv", lines[320..].join("\n"))
        .await;
    let arn = env
        .comprehend
        .create_document_classifier()
        .document_classifier_name("topics")
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .mode(DocumentClassifierMode::MultiLabel)
        .input_data_config(
            DocumentClassifierInputDataConfig::builder()
                .s3_uri("s3://ml-data/split/train.csv")
                .test_s3_uri("s3://ml-data/split/test.csv")
                .label_delimiter("|")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap();
    assert_eq!(
        arn,
        env.arn("document-classifier/topics"),
        "no version part without VersionName"
    );
    let props = finished_classifier(&env.comprehend, &arn).await;
    assert_eq!(
        props.status(),
        Some(&ModelStatus::Trained),
        "{:?}",
        props.message()
    );
    let meta = props.classifier_metadata().unwrap();
    assert_eq!(
        (
            meta.number_of_trained_documents(),
            meta.number_of_test_documents()
        ),
        (Some(320), Some(80))
    );
    assert_eq!(meta.number_of_labels(), Some(4));
    let m = meta.evaluation_metrics().unwrap();
    assert!(
        m.f1_score().unwrap() > 0.8,
        "topic words make this easy: {m:?}"
    );
    assert!(m.hamming_loss().unwrap() < 0.15);
}

#[tokio::test]
async fn augmented_manifests_train_in_both_modes() {
    let env = Env::start().await;
    env.bucket_with(
        "am-data",
        &[
            ("mc.jsonl", "manifest-multiclass.jsonl"),
            ("ml.jsonl", "manifest-multilabel.jsonl"),
        ],
    )
    .await;
    for (name, uri, attribute, mode, labels) in [
        (
            "am-mc",
            "s3://am-data/mc.jsonl",
            "topic",
            DocumentClassifierMode::MultiClass,
            10,
        ),
        (
            "am-ml",
            "s3://am-data/ml.jsonl",
            "topics",
            DocumentClassifierMode::MultiLabel,
            4,
        ),
    ] {
        let arn = env
            .comprehend
            .create_document_classifier()
            .document_classifier_name(name)
            .data_access_role_arn(ROLE)
            .language_code(LanguageCode::En)
            .mode(mode)
            .input_data_config(
                DocumentClassifierInputDataConfig::builder()
                    .data_format(DocumentClassifierDataFormat::AugmentedManifest)
                    .augmented_manifests(
                        AugmentedManifestsListItem::builder()
                            .s3_uri(uri)
                            .attribute_names(attribute)
                            .split(Split::Train)
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .document_classifier_arn
            .unwrap();
        let props = finished_classifier(&env.comprehend, &arn).await;
        assert_eq!(
            props.status(),
            Some(&ModelStatus::Trained),
            "{name}: {:?}",
            props.message()
        );
        assert_eq!(
            props.classifier_metadata().unwrap().number_of_labels(),
            Some(labels)
        );
    }
}

#[tokio::test]
async fn bad_data_ends_in_error_with_an_actionable_message() {
    let env = Env::start().await;
    env.s3
        .create_bucket()
        .bucket("bad-data")
        .send()
        .await
        .unwrap();
    env.put("bad-data", "no-text.csv", "A,fine text\nB\n").await;
    env.put(
        "bad-data",
        "few.csv",
        (0..30)
            .map(|i| format!("{},doc {i}\n", if i < 25 { "BIG" } else { "SMALL" }))
            .collect::<String>(),
    )
    .await;
    env.put("bad-data", "latin1.csv", b"A,caf\xe9\n".to_vec())
        .await;
    env.put("bad-data", "empty.csv", "").await;
    for (name, uri, expected) in [
        (
            "missing",
            "s3://bad-data/nothing-here.csv",
            "No training data found at s3://bad-data/nothing-here.csv",
        ),
        ("no-bucket", "s3://no-such-bucket/x.csv", "does not exist"),
        (
            "no-text",
            "s3://bad-data/no-text.csv",
            "s3://bad-data/no-text.csv: line 2: missing the document text",
        ),
        ("few", "s3://bad-data/few.csv", "SMALL"),
        (
            "latin1",
            "s3://bad-data/latin1.csv",
            "line 1: the text is not valid UTF-8",
        ),
        ("empty", "s3://bad-data/empty.csv", "empty"),
    ] {
        let arn = create_classifier(&env, name, None, uri).await;
        let props = finished_classifier(&env.comprehend, &arn).await;
        assert_eq!(props.status(), Some(&ModelStatus::InError), "{name}");
        let msg = props.message().unwrap_or_default();
        assert!(msg.contains(expected), "{name}: {msg}");
        assert!(props.classifier_metadata().is_none());
        assert!(props.end_time().is_some());
    }
}

over_both_wires!(create_rejects_what_aws_rejects);

async fn create_rejects_what_aws_rejects(wire: Wire) {
    let env = Env::start_over(wire, |_| {}).await;
    env.bucket_with("rules", &[("train.csv", "wordnet-small/partial.csv")])
        .await;
    assert_invalid_requests_rejected(&env).await;
    assert_name_taken_and_settings_echoed(&env).await;
}

/// CreateDocumentClassifier "rules" on `s3://rules/train.csv`, for the checks to vary.
fn rules_request(env: &Env) -> CreateDocumentClassifierFluentBuilder {
    env.comprehend
        .create_document_classifier()
        .document_classifier_name("rules")
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .input_data_config(
            DocumentClassifierInputDataConfig::builder()
                .s3_uri("s3://rules/train.csv")
                .build(),
        )
}

/// Unsupported or malformed languages, roles, input configurations and delimiters.
async fn assert_invalid_requests_rejected(env: &Env) {
    let base = || rules_request(env);
    let err = base()
        .language_code(LanguageCode::Ja)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UnsupportedLanguageException");
    let err = base()
        .language_code(LanguageCode::from("xx"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ValidationException");
    let err = base()
        .data_access_role_arn("not-a-role-arn-at-all")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ValidationException");
    let err = base()
        .input_data_config(
            DocumentClassifierInputDataConfig::builder()
                .data_format(DocumentClassifierDataFormat::AugmentedManifest)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
    let err = base()
        .input_data_config(DocumentClassifierInputDataConfig::builder().build())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
    assert!(message(&err).contains("S3Uri"));
    let err = base()
        .input_data_config(
            DocumentClassifierInputDataConfig::builder()
                .s3_uri("s3://rules/train.csv")
                .label_delimiter(",")
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ValidationException");
}

/// Same name and version twice: ResourceInUseException; VpcConfig, KMS and policy are echoed.
async fn assert_name_taken_and_settings_echoed(env: &Env) {
    let base = || rules_request(env);
    let arn = base()
        .version_name("v1")
        .volume_kms_key_id("arn:aws:kms:us-east-1:111122223333:key/1")
        .model_kms_key_id("alias/model")
        .model_policy("{\"Version\":\"2012-10-17\"}")
        .vpc_config(
            aws_sdk_comprehend::types::VpcConfig::builder()
                .security_group_ids("sg-1")
                .subnets("subnet-1")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap();
    let err = base().version_name("v1").send().await.unwrap_err();
    assert_eq!(code(&err), "ResourceInUseException");
    base().version_name("v2").send().await.unwrap();
    let props = env
        .comprehend
        .describe_document_classifier()
        .document_classifier_arn(&arn)
        .send()
        .await
        .unwrap()
        .document_classifier_properties
        .unwrap();
    assert_eq!(
        props.volume_kms_key_id(),
        Some("arn:aws:kms:us-east-1:111122223333:key/1")
    );
    assert_eq!(props.model_kms_key_id(), Some("alias/model"));
    assert_eq!(props.vpc_config().unwrap().subnets(), ["subnet-1"]);
    assert_eq!(props.data_access_role_arn(), Some(ROLE));
}

#[tokio::test]
async fn a_client_request_token_replays_instead_of_training_twice() {
    let env = Env::start().await;
    env.bucket_with("tokens", &[("train.csv", "wordnet-small/partial.csv")])
        .await;
    let request = || {
        env.comprehend
            .create_document_classifier()
            .document_classifier_name("once")
            .data_access_role_arn(ROLE)
            .language_code(LanguageCode::En)
            .client_request_token("token-1")
            .input_data_config(
                DocumentClassifierInputDataConfig::builder()
                    .s3_uri("s3://tokens/train.csv")
                    .build(),
            )
    };
    let first = request()
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap();
    let second = request()
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap();
    assert_eq!(first, second);
    let err = request().version_name("other").send().await.unwrap_err();
    assert_eq!(
        code(&err),
        "InvalidRequestException",
        "same token, different request"
    );
    let listed = env
        .comprehend
        .list_document_classifiers()
        .send()
        .await
        .unwrap();
    assert_eq!(listed.document_classifier_properties_list().len(), 1);
}

/// The tags are part of the request a token stands for: a retry with other tags is
/// another request.
#[tokio::test]
async fn a_client_request_token_covers_the_tags() {
    let env = Env::start().await;
    env.bucket_with("token-tags", &[("train.csv", "wordnet-small/partial.csv")])
        .await;
    let request = |value: &str| {
        env.comprehend
            .create_document_classifier()
            .document_classifier_name("tagged")
            .data_access_role_arn(ROLE)
            .language_code(LanguageCode::En)
            .client_request_token("token-tags")
            .tags(
                aws_sdk_comprehend::types::Tag::builder()
                    .key("team")
                    .value(value)
                    .build()
                    .unwrap(),
            )
            .input_data_config(
                DocumentClassifierInputDataConfig::builder()
                    .s3_uri("s3://token-tags/train.csv")
                    .build(),
            )
    };
    let first = request("a").send().await.unwrap().document_classifier_arn;
    let again = request("a").send().await.unwrap().document_classifier_arn;
    assert_eq!(first, again);
    let err = request("b").send().await.unwrap_err();
    assert_eq!(
        code(&err),
        "InvalidRequestException",
        "same token, other tags"
    );
}

over_both_wires!(list_filters_summaries_and_pagination);

async fn list_filters_summaries_and_pagination(wire: Wire) {
    let env = Env::start_over(wire, |_| {}).await;
    env.bucket_with("lists", &[("train.csv", "wordnet-small/partial.csv")])
        .await;
    env.put("lists", "broken.csv", "A\n").await;
    for version in ["v1", "v2", "v3"] {
        create_classifier(&env, "paged", Some(version), "s3://lists/train.csv").await;
    }
    let broken = create_classifier(&env, "broken", None, "s3://lists/broken.csv").await;
    finished_classifier(&env.comprehend, &broken).await;

    let (arns, mut tokens) = list_one_per_page(&env).await;
    assert_eq!(arns.len(), 4);
    assert_eq!(tokens.len(), 3);
    tokens.dedup();
    assert_eq!(tokens.len(), 3, "tokens differ from page to page");

    let by_name = list_filtered(
        &env,
        DocumentClassifierFilter::builder()
            .document_classifier_name("paged")
            .build(),
    )
    .await;
    assert_eq!(by_name.document_classifier_properties_list().len(), 3);
    let in_error = list_filtered(
        &env,
        DocumentClassifierFilter::builder()
            .status(ModelStatus::InError)
            .build(),
    )
    .await;
    assert_eq!(in_error.document_classifier_properties_list().len(), 1);
    let future = aws_sdk_comprehend::primitives::DateTime::from_secs(4_102_444_800);
    let after = list_filtered(
        &env,
        DocumentClassifierFilter::builder()
            .submit_time_after(future)
            .build(),
    )
    .await;
    assert!(after.document_classifier_properties_list().is_empty());

    let summaries = env
        .comprehend
        .list_document_classifier_summaries()
        .send()
        .await
        .unwrap();
    let paged = summaries
        .document_classifier_summaries_list()
        .iter()
        .find(|s| s.document_classifier_name() == Some("paged"))
        .unwrap();
    assert_eq!(paged.number_of_versions(), Some(3));
    assert_eq!(paged.latest_version_name(), Some("v3"));
    assert_eq!(summaries.document_classifier_summaries_list().len(), 2);
}

/// Every classifier, listed one per page: the ARNs and the next tokens of the pages.
async fn list_one_per_page(env: &Env) -> (Vec<String>, Vec<String>) {
    let mut tokens = Vec::new();
    let mut arns = Vec::new();
    let mut next = None;
    loop {
        let page = env
            .comprehend
            .list_document_classifiers()
            .max_results(1)
            .set_next_token(next.clone())
            .send()
            .await
            .unwrap();
        arns.extend(
            page.document_classifier_properties_list()
                .iter()
                .map(|p| p.document_classifier_arn().unwrap().to_owned()),
        );
        next = page.next_token().map(str::to_owned);
        match &next {
            Some(token) => tokens.push(token.clone()),
            None => break,
        }
    }
    (arns, tokens)
}

/// ListDocumentClassifiers with a filter.
async fn list_filtered(
    env: &Env,
    filter: DocumentClassifierFilter,
) -> ListDocumentClassifiersOutput {
    env.comprehend
        .list_document_classifiers()
        .filter(filter)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn stop_training_really_stops() {
    let env = Env::start_with(|c| c.workers = Some(1)).await;
    env.s3
        .create_bucket()
        .bucket("stop-data")
        .send()
        .await
        .unwrap();
    env.put(
        "stop-data",
        "big.csv",
        crate::durability::synthetic_csv(60_000, 40),
    )
    .await;
    let arn = create_classifier(&env, "stoppable", None, "s3://stop-data/big.csv").await;
    crate::harness::training_started(&env.comprehend, &arn).await;
    env.comprehend
        .stop_training_document_classifier()
        .document_classifier_arn(&arn)
        .send()
        .await
        .unwrap();
    let status = env
        .comprehend
        .describe_document_classifier()
        .document_classifier_arn(&arn)
        .send()
        .await
        .unwrap()
        .document_classifier_properties
        .unwrap();
    assert!(
        matches!(
            status.status(),
            Some(ModelStatus::StopRequested | ModelStatus::Stopped | ModelStatus::Trained)
        ),
        "{status:?}"
    );
    let props = finished_classifier(&env.comprehend, &arn).await;
    assert_eq!(
        props.status(),
        Some(&ModelStatus::Stopped),
        "{:?}",
        props.message()
    );
    assert!(props.classifier_metadata().is_none());
}

#[tokio::test]
async fn delete_only_finished_unused_classifiers() {
    let env = Env::start().await;
    env.bucket_with("del-data", &[("train.csv", "wordnet-small/partial.csv")])
        .await;
    env.put(
        "del-data",
        "big.csv",
        crate::durability::synthetic_csv(60_000, 40),
    )
    .await;
    let busy = create_classifier(&env, "busy", None, "s3://del-data/big.csv").await;
    let err = env
        .comprehend
        .delete_document_classifier()
        .document_classifier_arn(&busy)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceInUseException", "{}", message(&err));
    env.comprehend
        .stop_training_document_classifier()
        .document_classifier_arn(&busy)
        .send()
        .await
        .unwrap();

    let arn = create_classifier(&env, "served", None, "s3://del-data/train.csv").await;
    finished_classifier(&env.comprehend, &arn).await;
    env.comprehend
        .create_endpoint()
        .endpoint_name("uses-it")
        .model_arn(&arn)
        .desired_inference_units(1)
        .send()
        .await
        .unwrap();
    let err = env
        .comprehend
        .delete_document_classifier()
        .document_classifier_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceInUseException");
    env.comprehend
        .delete_endpoint()
        .endpoint_arn(env.arn("document-classifier-endpoint/uses-it"))
        .send()
        .await
        .unwrap();
    crate::harness::wait_for("the endpoint to go", 30, || async {
        env.comprehend
            .describe_endpoint()
            .endpoint_arn(env.arn("document-classifier-endpoint/uses-it"))
            .send()
            .await
            .err()
            .map(|_| ())
    })
    .await;
    env.comprehend
        .delete_document_classifier()
        .document_classifier_arn(&arn)
        .send()
        .await
        .unwrap();
    crate::harness::wait_for("the classifier to go", 30, || async {
        let err = env
            .comprehend
            .describe_document_classifier()
            .document_classifier_arn(&arn)
            .send()
            .await
            .err()?;
        (code(&err) == "ResourceNotFoundException").then_some(())
    })
    .await;
    finished_classifier(&env.comprehend, &busy).await;
}
