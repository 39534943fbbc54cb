//! A full disk is survived: the data directory on a 40 MB tmpfs is filled through S3
//! PUTs; work that meets the full disk fails with a message that says so; `/health`
//! reports it; deletes through S3 still go through; and once space is freed every
//! write succeeds again (no connection is left inside a failed transaction).
//!
//! Mounting a tmpfs needs root, as CI and the development machines run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use aws_sdk_comprehend::types::{
    DocumentClassifierInputDataConfig, InputDataConfig, LanguageCode, OutputDataConfig,
};
use aws_sdk_s3::primitives::ByteStream;

use crate::durability::synthetic_csv;
use crate::harness::{Env, ROLE, code};

/// A tmpfs mounted on a fresh folder, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(megabytes: u32) -> Tmpfs {
        let dir = tempfile::tempdir().expect("mount point");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("run mount");
        assert!(
            status.success(),
            "mounting a tmpfs failed ({status}): this test needs root, as CI has"
        );
        Tmpfs { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().to_owned()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

const BUCKET: &str = "disk";

/// PUTs objects, each size in turn until one fails, so that the disk ends with less
/// free than the smallest; returns how many were written. A failed PUT leaves no object.
async fn fill(env: &Env, tag: &str) -> usize {
    let mut written = 0;
    for size in [1024 * 1024, 64 * 1024, 4 * 1024] {
        for n in 0.. {
            let key = format!("fill/{tag}-{size}-{n}");
            let put = env
                .s3
                .put_object()
                .bucket(BUCKET)
                .key(&key)
                .body(ByteStream::from(vec![b'x'; size]))
                .send()
                .await;
            if put.is_err() {
                let head = env.s3.head_object().bucket(BUCKET).key(&key).send().await;
                assert!(head.is_err(), "a failed PUT left {key} behind");
                break;
            }
            written += 1;
            assert!(n < 100_000, "the disk never filled");
        }
    }
    written
}

async fn health(env: &Env) -> serde_json::Value {
    let body = reqwest::get(format!("{}/health", env.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&body).unwrap()
}

async fn create_classifier(env: &Env, name: &str) -> Result<String, String> {
    env.comprehend
        .create_document_classifier()
        .document_classifier_name(name)
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .input_data_config(
            DocumentClassifierInputDataConfig::builder()
                .s3_uri(format!("s3://{BUCKET}/train.csv"))
                .build(),
        )
        .send()
        .await
        .map(|out| out.document_classifier_arn.unwrap())
        .map_err(|e| code(&e))
}

async fn classifier(env: &Env, arn: &str) -> (String, String) {
    let props = env
        .comprehend
        .describe_document_classifier()
        .document_classifier_arn(arn)
        .send()
        .await
        .unwrap()
        .document_classifier_properties
        .unwrap();
    (
        props.status().unwrap().as_str().to_owned(),
        props.message().unwrap_or_default().to_owned(),
    )
}

fn says_full(message: &str, data_dir: &Path) -> bool {
    message.contains("is full") && message.contains(&data_dir.display().to_string())
}

/// A trained model, then a classification job and a training queued on it (the queue is
/// paused: the test runs them once the disk is full). Returns (model, job id, queued
/// version).
async fn work_queued_before_the_disk_fills(env: &Env) -> (String, String, String) {
    let model = create_classifier(env, "before").await.unwrap();
    env.drain().await;
    assert_eq!(classifier(env, &model).await.0, "TRAINED");
    let job = env
        .comprehend
        .start_document_classification_job()
        .document_classifier_arn(&model)
        .data_access_role_arn(ROLE)
        .input_data_config(
            InputDataConfig::builder()
                .s3_uri(format!("s3://{BUCKET}/docs.txt"))
                .build()
                .unwrap(),
        )
        .output_data_config(
            OutputDataConfig::builder()
                .s3_uri(format!("s3://{BUCKET}/out/"))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .job_id
        .unwrap();
    let queued = create_classifier(env, "queued").await.unwrap();
    (model, job, queued)
}

/// Runs the queued job and training, each on a full disk: both fail and say why.
async fn work_fails_and_says_why(env: &Env, data_dir: &Path, job: &str, queued: &str) {
    assert!(env.run_one().await);
    let props = env
        .comprehend
        .describe_document_classification_job()
        .job_id(job)
        .send()
        .await
        .unwrap()
        .document_classification_job_properties
        .unwrap();
    assert_eq!(props.job_status().unwrap().as_str(), "FAILED");
    assert!(says_full(props.message().unwrap(), data_dir), "{props:?}");
    // The failure gave up 1 MiB of the reserve to be written: fill that too.
    fill(env, "b").await;
    assert!(env.run_one().await);
    let (status, message) = classifier(env, queued).await;
    assert_eq!(status, "IN_ERROR");
    assert!(says_full(&message, data_dir), "{message}");
    eprintln!("job: {:?}; training: {message}", props.message());
}

/// Deletes every filled object through S3, each promptly and without error.
async fn deletes_free_the_space(env: &Env, filled: usize) {
    let mut keys = Vec::new();
    let mut pages = env
        .s3
        .list_objects_v2()
        .bucket(BUCKET)
        .prefix("fill/")
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        keys.extend(
            page.unwrap()
                .contents()
                .iter()
                .filter_map(|o| o.key().map(str::to_owned)),
        );
    }
    assert!(keys.len() > filled, "{} objects listed", keys.len());
    for key in &keys {
        let started = Instant::now();
        let deleted = env.s3.delete_object().bucket(BUCKET).key(key).send().await;
        assert!(
            deleted.is_ok(),
            "DeleteObject {key} on a full disk: {deleted:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "DeleteObject {key} took {:?}",
            started.elapsed()
        );
    }
}

#[tokio::test]
async fn a_full_disk_is_survived() {
    let disk = Tmpfs::mount(40);
    let data_dir = disk.path();
    let env = Env::start_with(|c| {
        c.data_dir = data_dir.clone();
        c.workers = Some(0);
    })
    .await;
    env.s3.create_bucket().bucket(BUCKET).send().await.unwrap();
    env.put(BUCKET, "train.csv", synthetic_csv(300, 3)).await;
    env.put(BUCKET, "docs.txt", "t0w1 shared2 shared3\nt1w4 shared5\n")
        .await;
    let (model, job, queued) = work_queued_before_the_disk_fills(&env).await;

    let filled = fill(&env, "a").await;
    assert!(filled > 20, "only {filled} objects fit");
    let h = health(&env).await;
    assert_eq!(h["status"], "degraded", "{h}");
    assert!(says_full(h["reason"].as_str().unwrap(), &data_dir), "{h}");
    work_fails_and_says_why(&env, &data_dir, &job, &queued).await;

    // Writes on the full disk fail with InternalServerException, or get through.
    fill(&env, "c").await;
    let mut during = Vec::new();
    for n in 0..10 {
        match create_classifier(&env, &format!("during-{n}")).await {
            Ok(arn) => during.push(arn),
            Err(code) => assert_eq!(code, "InternalServerException"),
        }
    }
    eprintln!(
        "filled with {filled} objects; created while full: {} of 10",
        during.len()
    );
    // Deleting a model through Comprehend goes through too.
    for arn in [&queued, &model] {
        let deleted = env
            .comprehend
            .delete_document_classifier()
            .document_classifier_arn(arn)
            .send()
            .await;
        assert!(
            deleted.is_ok(),
            "DeleteDocumentClassifier on a full disk: {deleted:?}"
        );
    }
    deletes_free_the_space(&env, filled).await;

    // Every write succeeds again.
    assert_eq!(health(&env).await["status"], "ready");
    let mut after = Vec::new();
    for n in 0..20 {
        after.push(
            create_classifier(&env, &format!("after-{n}"))
                .await
                .unwrap(),
        );
    }
    env.drain().await;
    for arn in &after {
        assert_eq!(
            classifier(&env, arn).await,
            ("TRAINED".to_owned(), String::new())
        );
    }
    // Those created while the disk was full trained once there was room.
    for arn in &during {
        let (status, message) = classifier(&env, arn).await;
        assert!(
            status == "TRAINED" || says_full(&message, &data_dir),
            "{arn}: {status} {message}"
        );
    }
    for n in 0..5 {
        env.put(BUCKET, &format!("again/{n}"), vec![b'y'; 1024 * 1024])
            .await;
    }
}
