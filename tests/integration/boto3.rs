//! boto3, unchanged: the Python SDK most users test with.

use std::process::Command;

use crate::harness::{Env, fixture_path, tool};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_trains_and_classifies() {
    let stdout = boto3_smoke(&[]).await;
    assert!(stdout.contains("boto3 OK over json"), "{stdout}");
}

/// boto3 forced onto Smithy RPC v2 CBOR with a copy of the service model that lists only
/// that protocol: the same smoke run, every request and error in CBOR.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_over_rpc_v2_cbor() {
    let model = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../protocol/model/comprehend-2017-11-27.json");
    let stdout = boto3_smoke(&[model.as_os_str()]).await;
    assert!(
        stdout.contains("boto3 OK over smithy-rpc-v2-cbor"),
        "{stdout}"
    );
}

/// Runs `boto3_smoke.py` against a fresh server with `extra` arguments; returns its output.
async fn boto3_smoke(extra: &[&std::ffi::OsStr]) -> String {
    let env = Env::start().await;
    let script = fixture_path("boto3_smoke.py");
    let out = Command::new(tool("python3"))
        .arg(&script)
        .arg(&env.url)
        .arg(fixture_path("wordnet-small/partial.csv"))
        .args(extra)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "boto3 script failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
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
