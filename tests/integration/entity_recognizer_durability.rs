//! `kill -9` while an entity recognizer trains: after a restart the job resumes (or the
//! version ends IN_ERROR with a message) — it is never left SUBMITTED or TRAINING.

use aws_sdk_comprehend::types::{LanguageCode, ModelStatus};
use aws_sdk_s3::primitives::ByteStream;

use crate::harness::{Process, ROLE, wait_for};
use crate::ner_support::{annotated, finished, repeated};

#[tokio::test]
async fn kill_9_during_training_then_restart_finishes_the_recognizer() {
    let dir = tempfile::tempdir().unwrap();
    let server = Process::start(dir.path());
    let (comprehend, s3) = (server.comprehend(), server.s3());
    s3.create_bucket().bucket("big").send().await.unwrap();
    let (text, csv) = repeated(300);
    for (key, body) in [("docs/big.txt", text), ("notes.csv", csv)] {
        s3.put_object()
            .bucket("big")
            .key(key)
            .body(ByteStream::from(body.into_bytes()))
            .send()
            .await
            .unwrap();
    }
    let arn = comprehend
        .create_entity_recognizer()
        .recognizer_name("survivor")
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .input_data_config(annotated("big", "docs/", "notes.csv"))
        .send()
        .await
        .unwrap()
        .entity_recognizer_arn
        .unwrap();
    wait_for("training to start", 60, || async {
        let p = comprehend
            .describe_entity_recognizer()
            .entity_recognizer_arn(&arn)
            .send()
            .await
            .ok()?
            .entity_recognizer_properties?;
        (p.status() != Some(&ModelStatus::Submitted)).then_some(())
    })
    .await;
    server.kill();

    let server = Process::start(dir.path());
    let props = finished(&server.comprehend(), &arn).await;
    match props.status() {
        Some(ModelStatus::Trained) => {
            let meta = props.recognizer_metadata().unwrap();
            assert_eq!(
                meta.number_of_trained_documents().unwrap()
                    + meta.number_of_test_documents().unwrap(),
                18_000
            );
        }
        Some(ModelStatus::InError) => assert!(props.message().is_some()),
        other => panic!("left {other:?}: {:?}", props.message()),
    }
    assert_eq!(
        server.terminate().code(),
        Some(0),
        "SIGTERM shuts down cleanly"
    );
}
