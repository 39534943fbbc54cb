//! The AWS CLI, unchanged, with `--endpoint-url`.

use std::process::{Command, Output};

use crate::harness::{Env, tool};

fn aws(env: &Env, args: &[&str]) -> Output {
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

fn ok(out: Output) -> String {
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
