//! The AWS CLI, unchanged, with `--endpoint-url`.

use std::process::{Command, Output};

use crate::harness::{Env, tool};

pub(crate) fn aws(env: &Env, args: &[&str]) -> Output {
    Command::new(tool("aws"))
        .args([
            "--endpoint-url",
            &env.url,
            "--region",
            "us-east-1",
            "--output",
            "json",
        ])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("AWS_RETRY_MODE", "standard")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("aws runs")
}

pub(crate) fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "aws failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_commands_and_a_comprehend_call() {
    let env = Env::start().await;
    let file = crate::harness::fixture_path("wordnet-small/partial.csv");
    ok(aws(&env, &["s3", "mb", "s3://b"]));
    ok(aws(
        &env,
        &[
            "s3",
            "cp",
            file.to_str().unwrap(),
            "s3://b/data/partial.csv",
        ],
    ));
    let listed = ok(aws(&env, &["s3", "ls", "s3://b/data/"]));
    assert!(listed.contains("partial.csv"), "{listed}");
    let flywheels: serde_json::Value =
        serde_json::from_str(&ok(aws(&env, &["comprehend", "list-flywheels"]))).unwrap();
    assert_eq!(flywheels, serde_json::json!({"FlywheelSummaryList": []}));
    ok(aws(&env, &["s3", "rm", "s3://b/data/partial.csv"]));
    // `aws s3 ls` exits 1 when nothing matches.
    let after = aws(&env, &["s3", "ls", "s3://b/data/"]);
    assert!(!String::from_utf8_lossy(&after.stdout).contains("partial.csv"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_reach_the_cli_with_their_names() {
    let env = Env::start().await;
    let out = aws(
        &env,
        &[
            "comprehend",
            "describe-flywheel",
            "--flywheel-arn",
            "arn:aws:comprehend:us-east-1:000000000000:flywheel/none",
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("(ResourceNotFoundException)"), "{stderr}");
    let out = aws(
        &env,
        &["comprehend", "list-flywheels", "--max-results", "900"],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("(ValidationException)"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_document_classifier_with_the_cli_trains_for_real() {
    let env = Env::start().await;
    let file = crate::harness::fixture_path("wordnet-small/partial.csv");
    ok(aws(&env, &["s3", "mb", "s3://cli-data"]));
    ok(aws(
        &env,
        &[
            "s3",
            "cp",
            file.to_str().unwrap(),
            "s3://cli-data/train/partial.csv",
        ],
    ));
    let created: serde_json::Value = serde_json::from_str(&ok(aws(
        &env,
        &[
            "comprehend",
            "create-document-classifier",
            "--document-classifier-name",
            "cli-classifier",
            "--version-name",
            "v1",
            "--data-access-role-arn",
            crate::harness::ROLE,
            "--input-data-config",
            "S3Uri=s3://cli-data/train/",
            "--output-data-config",
            "S3Uri=s3://cli-data/output/",
            "--language-code",
            "en",
        ],
    )))
    .unwrap();
    let arn = created["DocumentClassifierArn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        arn,
        env.arn("document-classifier/cli-classifier/version/v1")
    );
    let props = crate::harness::finished_classifier(&env.comprehend, &arn).await;
    assert_eq!(
        props.status(),
        Some(&aws_sdk_comprehend::types::ModelStatus::Trained)
    );
    let described: serde_json::Value = serde_json::from_str(&ok(aws(
        &env,
        &[
            "comprehend",
            "describe-document-classifier",
            "--document-classifier-arn",
            &arn,
        ],
    )))
    .unwrap();
    let p = &described["DocumentClassifierProperties"];
    assert_eq!(p["Status"], "TRAINED");
    assert!(
        p["ClassifierMetadata"]["EvaluationMetrics"]["F1Score"]
            .as_f64()
            .unwrap()
            > 0.5
    );
    assert!(
        p["SubmitTime"].is_f64() || p["SubmitTime"].is_u64(),
        "epoch seconds: {}",
        p["SubmitTime"]
    );
    assert!(
        p["OutputDataConfig"]["S3Uri"]
            .as_str()
            .unwrap()
            .ends_with("/output/output.tar.gz")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_entity_recognizer_with_the_cli_trains_for_real() {
    let env = Env::start().await;
    let fixtures = crate::harness::fixture_path("ner");
    ok(aws(&env, &["s3", "mb", "s3://cli-ner"]));
    for (file, key) in [
        ("train/documents.txt", "docs/documents.txt"),
        ("annotations/train.csv", "annotations.csv"),
    ] {
        let path = fixtures.join(file);
        let target = format!("s3://cli-ner/{key}");
        ok(aws(&env, &["s3", "cp", path.to_str().unwrap(), &target]));
    }
    let input = r#"{"EntityTypes": [{"Type": "PERSON"}, {"Type": "LOCATION"}],
        "Documents": {"S3Uri": "s3://cli-ner/docs/"},
        "Annotations": {"S3Uri": "s3://cli-ner/annotations.csv"}}"#;
    let created: serde_json::Value = serde_json::from_str(&ok(aws(
        &env,
        &[
            "comprehend",
            "create-entity-recognizer",
            "--recognizer-name",
            "cli-ner",
            "--version-name",
            "v1",
            "--data-access-role-arn",
            crate::harness::ROLE,
            "--input-data-config",
            input,
            "--language-code",
            "en",
        ],
    )))
    .unwrap();
    let arn = created["EntityRecognizerArn"].as_str().unwrap().to_owned();
    assert_eq!(arn, env.arn("entity-recognizer/cli-ner/version/v1"));
    crate::ner_support::finished(&env.comprehend, &arn).await;
    let described: serde_json::Value = serde_json::from_str(&ok(aws(
        &env,
        &[
            "comprehend",
            "describe-entity-recognizer",
            "--entity-recognizer-arn",
            &arn,
        ],
    )))
    .unwrap();
    let p = &described["EntityRecognizerProperties"];
    assert_eq!(p["Status"], "TRAINED", "{p}");
    let f1 = p["RecognizerMetadata"]["EvaluationMetrics"]["F1Score"]
        .as_f64()
        .unwrap();
    assert!(f1 > 1.0 && f1 <= 100.0, "0–100 scale: {f1}");
    assert_eq!(
        p["RecognizerMetadata"]["EntityTypes"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let listed: serde_json::Value = serde_json::from_str(&ok(aws(
        &env,
        &["comprehend", "list-entity-recognizers", "--page-size", "1"],
    )))
    .unwrap();
    assert_eq!(
        listed["EntityRecognizerPropertiesList"][0]["EntityRecognizerArn"],
        arn.as_str()
    );
}
