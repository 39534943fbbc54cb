//! Crashes: `kill -9` loses nothing that was acknowledged, and interrupted work resumes.

use aws_sdk_comprehend::types::{
    DocumentClassifierInputDataConfig, LanguageCode, ModelStatus, Tag,
};
use aws_sdk_s3::primitives::ByteStream;

use crate::harness::{Process, ROLE, finished_classifier, wait_for};

/// A deterministic synthetic corpus big enough to train for a few seconds: `labels`
/// topics, each with its own words mixed into shared ones.
pub fn synthetic_csv(docs: usize, labels: usize) -> String {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    let mut out = String::with_capacity(docs * 120);
    for _ in 0..docs {
        let label = next(labels);
        out.push_str(&format!("topic{label},"));
        for w in 0..24 {
            if w % 3 == 0 {
                out.push_str(&format!("t{label}w{} ", next(300)));
            } else {
                out.push_str(&format!("shared{} ", next(5000)));
            }
        }
        out.push('\n');
    }
    out
}

async fn upload(s3: &aws_sdk_s3::Client, bucket: &str, key: &str, body: Vec<u8>) {
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(body))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn kill_9_during_training_then_restart_finishes_the_job() {
    let dir = tempfile::tempdir().unwrap();
    let server = Process::start(dir.path());
    let (comprehend, s3) = (server.comprehend(), server.s3());
    s3.create_bucket()
        .bucket("crash-data")
        .send()
        .await
        .unwrap();
    upload(
        &s3,
        "crash-data",
        "big.csv",
        synthetic_csv(80_000, 40).into_bytes(),
    )
    .await;
    let arn = comprehend
        .create_document_classifier()
        .document_classifier_name("survivor")
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .input_data_config(
            DocumentClassifierInputDataConfig::builder()
                .s3_uri("s3://crash-data/big.csv")
                .build(),
        )
        .tags(Tag::builder().key("kept").value("yes").build().unwrap())
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap();
    crate::harness::training_started(&comprehend, &arn).await;
    server.kill();

    let server = Process::start(dir.path());
    let comprehend = server.comprehend();
    let props = finished_classifier(&comprehend, &arn).await;
    assert_eq!(
        props.status(),
        Some(&ModelStatus::Trained),
        "{:?}",
        props.message()
    );
    assert_eq!(
        props.classifier_metadata().unwrap().number_of_labels(),
        Some(40)
    );
    let tags = comprehend
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags()[0].key(), "kept");
    let objects = server
        .s3()
        .list_objects_v2()
        .bucket("crash-data")
        .send()
        .await
        .unwrap();
    assert_eq!(objects.contents().len(), 1);
    assert_eq!(
        server.terminate().code(),
        Some(0),
        "SIGTERM shuts down cleanly"
    );
}

#[tokio::test]
async fn acknowledged_resources_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let server = Process::start(dir.path());
    let (comprehend, s3) = (server.comprehend(), server.s3());
    s3.create_bucket().bucket("keep-data").send().await.unwrap();
    upload(
        &s3,
        "keep-data",
        "train.csv",
        std::fs::read(crate::harness::fixture_path("wordnet-small/partial.csv")).unwrap(),
    )
    .await;
    let arn = comprehend
        .create_document_classifier()
        .document_classifier_name("kept")
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .input_data_config(
            DocumentClassifierInputDataConfig::builder()
                .s3_uri("s3://keep-data/train.csv")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap();
    finished_classifier(&comprehend, &arn).await;
    let endpoint = comprehend
        .create_endpoint()
        .endpoint_name("kept")
        .model_arn(&arn)
        .desired_inference_units(2)
        .send()
        .await
        .unwrap()
        .endpoint_arn
        .unwrap();
    wait_for("IN_SERVICE", 30, || async {
        let p = comprehend
            .describe_endpoint()
            .endpoint_arn(&endpoint)
            .send()
            .await
            .ok()?
            .endpoint_properties?;
        (p.status() == Some(&aws_sdk_comprehend::types::EndpointStatus::InService)).then_some(())
    })
    .await;
    server.kill();

    let server = Process::start(dir.path());
    let comprehend = server.comprehend();
    let props = comprehend
        .describe_document_classifier()
        .document_classifier_arn(&arn)
        .send()
        .await
        .unwrap()
        .document_classifier_properties
        .unwrap();
    assert_eq!(props.status(), Some(&ModelStatus::Trained));
    let ep = comprehend
        .describe_endpoint()
        .endpoint_arn(&endpoint)
        .send()
        .await
        .unwrap()
        .endpoint_properties
        .unwrap();
    assert_eq!(
        ep.status(),
        Some(&aws_sdk_comprehend::types::EndpointStatus::InService)
    );
    assert_eq!(ep.current_inference_units(), Some(2));
    let answer = comprehend
        .classify_document()
        .endpoint_arn(&endpoint)
        .text("a person who plays the violin")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.classes().len(), 10);
    assert_eq!(
        server
            .s3()
            .get_object()
            .bucket("keep-data")
            .key("train.csv")
            .send()
            .await
            .unwrap()
            .content_length(),
        Some(
            std::fs::metadata(crate::harness::fixture_path("wordnet-small/partial.csv"))
                .unwrap()
                .len() as i64
        )
    );
}

#[tokio::test]
async fn sigterm_during_training_exits_promptly_and_the_job_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let server = Process::start(dir.path());
    let (comprehend, s3) = (server.comprehend(), server.s3());
    s3.create_bucket().bucket("term-data").send().await.unwrap();
    upload(
        &s3,
        "term-data",
        "big.csv",
        synthetic_csv(80_000, 40).into_bytes(),
    )
    .await;
    let arn = comprehend
        .create_document_classifier()
        .document_classifier_name("patient")
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .input_data_config(
            DocumentClassifierInputDataConfig::builder()
                .s3_uri("s3://term-data/big.csv")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap();
    crate::harness::training_started(&comprehend, &arn).await;
    let started = std::time::Instant::now();
    assert_eq!(server.terminate().code(), Some(0));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "shutdown took {:?}",
        started.elapsed()
    );

    let server = Process::start(dir.path());
    let props = finished_classifier(&server.comprehend(), &arn).await;
    assert_eq!(
        props.status(),
        Some(&ModelStatus::Trained),
        "{:?}",
        props.message()
    );
}
