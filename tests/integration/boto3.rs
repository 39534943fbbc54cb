//! boto3, unchanged: the Python SDK most users test with.

use std::process::Command;

use crate::harness::{Env, fixture_path, tool};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_trains_and_classifies() {
    let env = Env::start().await;
    let script = fixture_path("boto3_smoke.py");
    let out = Command::new(tool("python3"))
        .arg(&script)
        .arg(&env.url)
        .arg(fixture_path("wordnet-small/partial.csv"))
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "boto3 script failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("boto3 OK"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_trains_an_entity_recognizer() {
    let env = Env::start().await;
    let out = Command::new(tool("python3"))
        .arg(fixture_path("ner/boto3_ner.py"))
        .arg(&env.url)
        .arg(fixture_path("ner"))
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "boto3 script failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("boto3 NER OK"), "{stdout}");
}
