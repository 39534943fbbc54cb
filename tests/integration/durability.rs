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

/// Starts training `name` on an 80,000-document, 40-label corpus in `bucket` (a few
/// seconds of training, long enough to act on it mid-way) and waits until it trains.
async fn big_training(server: &Process, bucket: &str, name: &str, tags: Vec<Tag>) -> String {
    let (comprehend, s3) = (server.comprehend(), server.s3());
    s3.create_bucket().bucket(bucket).send().await.unwrap();
    upload(
        &s3,
        bucket,
        "big.csv",
        synthetic_csv(80_000, 40).into_bytes(),
    )
    .await;
    let arn = comprehend
        .create_document_classifier()
        .document_classifier_name(name)
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .input_data_config(
            DocumentClassifierInputDataConfig::builder()
                .s3_uri(format!("s3://{bucket}/big.csv"))
                .build(),
        )
        .set_tags(Some(tags))
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap();
    crate::harness::training_started(&comprehend, &arn).await;
    arn
}

#[tokio::test]
async fn kill_9_during_training_then_restart_finishes_the_job() {
    let dir = tempfile::tempdir().unwrap();
    let server = Process::start(dir.path());
    let kept = Tag::builder().key("kept").value("yes").build().unwrap();
    let arn = big_training(&server, "crash-data", "survivor", vec![kept]).await;
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

/// Trains a classifier named "kept" on the small WordNet sample in a server process.
async fn kept_classifier(server: &Process) -> String {
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
    arn
}

#[tokio::test]
async fn acknowledged_resources_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let server = Process::start(dir.path());
    let arn = kept_classifier(&server).await;
    let comprehend = server.comprehend();
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
    let ready = crate::harness::endpoint_ready(&comprehend, &endpoint).await;
    assert_eq!(
        ready.status(),
        Some(&aws_sdk_comprehend::types::EndpointStatus::InService)
    );
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
    let arn = big_training(&server, "term-data", "patient", vec![]).await;
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

/// What a client sees of an endpoint: its status, or None once it is gone.
async fn endpoint_status(
    client: &aws_sdk_comprehend::Client,
    arn: &str,
) -> Option<aws_sdk_comprehend::types::EndpointStatus> {
    match client.describe_endpoint().endpoint_arn(arn).send().await {
        Ok(out) => out.endpoint_properties?.status().cloned(),
        Err(err) => {
            assert_eq!(crate::harness::code(&err), "ResourceNotFoundException");
            None
        }
    }
}

/// What a client sees of a classifier version: its status, or None once it is gone.
async fn classifier_status(client: &aws_sdk_comprehend::Client, arn: &str) -> Option<ModelStatus> {
    match client
        .describe_document_classifier()
        .document_classifier_arn(arn)
        .send()
        .await
    {
        Ok(out) => out.document_classifier_properties?.status().cloned(),
        Err(err) => {
            assert_eq!(crate::harness::code(&err), "ResourceNotFoundException");
            None
        }
    }
}

/// Trains `versions` versions of one classifier on the small WordNet sample and serves
/// the first through `endpoints` endpoints.
async fn served_versions(
    server: &Process,
    versions: usize,
    endpoints: usize,
) -> (Vec<String>, Vec<String>) {
    let (comprehend, s3) = (server.comprehend(), server.s3());
    s3.create_bucket().bucket("busy-data").send().await.unwrap();
    let csv = std::fs::read(crate::harness::fixture_path("wordnet-small/partial.csv")).unwrap();
    upload(&s3, "busy-data", "train.csv", csv).await;
    let mut models = Vec::new();
    for v in 0..versions {
        let arn = comprehend
            .create_document_classifier()
            .document_classifier_name("busy")
            .version_name(format!("v{v}"))
            .data_access_role_arn(ROLE)
            .language_code(LanguageCode::En)
            .input_data_config(
                DocumentClassifierInputDataConfig::builder()
                    .s3_uri("s3://busy-data/train.csv")
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .document_classifier_arn
            .unwrap();
        models.push(arn);
    }
    for arn in &models {
        let props = finished_classifier(&comprehend, arn).await;
        assert_eq!(props.status(), Some(&ModelStatus::Trained));
    }
    let mut served = Vec::new();
    for e in 0..endpoints {
        let arn = comprehend
            .create_endpoint()
            .endpoint_name(format!("busy-{e}"))
            .model_arn(&models[0])
            .desired_inference_units(1)
            .send()
            .await
            .unwrap()
            .endpoint_arn
            .unwrap();
        served.push(arn);
    }
    for arn in &served {
        crate::harness::endpoint_ready(&comprehend, arn).await;
    }
    (models, served)
}

/// Sends UpdateEndpoint (even endpoints) and DeleteEndpoint (odd ones) for every
/// endpoint, and DeleteDocumentClassifier for every model, all at once.
fn updates_and_deletes(
    comprehend: &aws_sdk_comprehend::Client,
    models: &[String],
    endpoints: &[String],
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut in_flight = Vec::new();
    for (i, arn) in endpoints.iter().enumerate() {
        let (client, arn) = (comprehend.clone(), arn.clone());
        in_flight.push(tokio::spawn(async move {
            if i % 2 == 0 {
                let _ = client
                    .update_endpoint()
                    .endpoint_arn(arn)
                    .desired_inference_units(2)
                    .send()
                    .await;
            } else {
                let _ = client.delete_endpoint().endpoint_arn(arn).send().await;
            }
        }));
    }
    for arn in models {
        let (client, arn) = (comprehend.clone(), arn.clone());
        in_flight.push(tokio::spawn(async move {
            let _ = client
                .delete_document_classifier()
                .document_classifier_arn(arn)
                .send()
                .await;
        }));
    }
    in_flight
}

/// Waits until no endpoint is CREATING, UPDATING or DELETING and no model DELETING; none
/// may end FAILED, and a model is either gone or still TRAINED.
async fn all_settle(
    comprehend: &aws_sdk_comprehend::Client,
    models: &[String],
    endpoints: &[String],
) {
    use aws_sdk_comprehend::types::EndpointStatus;
    for arn in endpoints {
        let settled = wait_for(&format!("{arn} to settle"), 60, || async {
            let status = endpoint_status(comprehend, arn).await;
            (!matches!(
                status,
                Some(
                    EndpointStatus::Updating | EndpointStatus::Deleting | EndpointStatus::Creating
                )
            ))
            .then_some(status)
        })
        .await;
        assert_ne!(settled, Some(EndpointStatus::Failed), "{arn}");
    }
    for arn in models {
        let settled = wait_for(&format!("{arn} to settle"), 60, || async {
            let status = classifier_status(comprehend, arn).await;
            (status != Some(ModelStatus::Deleting)).then_some(status)
        })
        .await;
        assert!(
            matches!(settled, None | Some(ModelStatus::Trained)),
            "{arn}: {settled:?}"
        );
    }
}

/// Updates and deletes of existing resources in flight when the server is killed: after
/// a restart every resource settles (no DELETING or UPDATING left), retried deletes
/// finish, and the quota counts only what exists.
#[tokio::test]
async fn kill_9_with_updates_and_deletes_in_flight_leaves_nothing_mid_change() {
    let dir = tempfile::tempdir().unwrap();
    let server = Process::start(dir.path());
    let (models, endpoints) = served_versions(&server, 9, 10).await;
    let in_flight = updates_and_deletes(&server.comprehend(), &models[1..], &endpoints);
    tokio::time::sleep(std::time::Duration::from_millis(15)).await;
    server.kill();
    for request in in_flight {
        let _ = request.await;
    }

    let server = Process::start(dir.path());
    let comprehend = server.comprehend();
    all_settle(&comprehend, &models[1..], &endpoints).await;

    // Retried deletes finish, whatever the first attempt got to.
    for (i, arn) in endpoints.iter().enumerate().filter(|(i, _)| i % 2 == 1) {
        let retried = comprehend.delete_endpoint().endpoint_arn(arn).send().await;
        if let Err(err) = retried {
            assert_eq!(
                crate::harness::code(&err),
                "ResourceNotFoundException",
                "endpoint {i}"
            );
        }
        wait_for(&format!("{arn} to be gone"), 60, || async {
            endpoint_status(&comprehend, arn)
                .await
                .is_none()
                .then_some(())
        })
        .await;
    }
    // Five endpoints are left, so a new one fits in the quota of ten.
    comprehend
        .create_endpoint()
        .endpoint_name("after-the-crash")
        .model_arn(&models[0])
        .desired_inference_units(1)
        .send()
        .await
        .expect("deleted endpoints no longer count against the quota");
}

/// A retried UpdateEndpoint while the first is still UPDATING is refused as in use; a
/// retried DeleteEndpoint of a DELETING endpoint answers like the first and the endpoint
/// goes away.
#[tokio::test]
async fn retried_updates_and_deletes_are_answered_and_finish() {
    let env = crate::harness::Env::start_with(|c| c.workers = Some(0)).await;
    let model = crate::harness::trained_wordnet_paused(&env, "retry-data", "retry").await;
    let endpoint = env
        .comprehend
        .create_endpoint()
        .endpoint_name("retry")
        .model_arn(&model)
        .desired_inference_units(1)
        .send()
        .await
        .unwrap()
        .endpoint_arn
        .unwrap();
    env.drain().await;
    let update = || {
        env.comprehend
            .update_endpoint()
            .endpoint_arn(&endpoint)
            .desired_inference_units(2)
            .send()
    };
    update().await.expect("first update");
    let err = update().await.expect_err("an update while UPDATING");
    assert_eq!(crate::harness::code(&err), "ResourceInUseException");
    env.drain().await;
    let delete = || {
        env.comprehend
            .delete_endpoint()
            .endpoint_arn(&endpoint)
            .send()
    };
    delete().await.expect("first delete");
    delete()
        .await
        .expect("a retried delete answers as the first did");
    env.drain().await;
    let err = env
        .comprehend
        .describe_endpoint()
        .endpoint_arn(&endpoint)
        .send()
        .await
        .expect_err("gone");
    assert_eq!(crate::harness::code(&err), "ResourceNotFoundException");
}

/// An unusable data directory stops the start: the path and the reason on stderr, a
/// non-zero exit, nothing served.
#[test]
fn unusable_data_directories_stop_the_start_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"not a directory").unwrap();
    for (data_dir, reason) in [
        (file.as_path(), "not a directory"),
        (std::path::Path::new("/sys"), "not writable"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_comprehend-local"))
            .args(["--bind", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{data_dir:?} must not start");
        assert!(
            stderr.contains(&data_dir.display().to_string()) && stderr.contains(reason),
            "{data_dir:?}: {stderr}"
        );
        assert!(!String::from_utf8_lossy(&out.stdout).contains("ready"));
    }
}

/// StopTraining answered, then `kill -9`: after a restart the version ends STOPPED with
/// its times, not STOP_REQUESTED forever.
#[tokio::test]
async fn kill_9_after_stop_training_ends_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let server = Process::start(dir.path());
    let arn = big_training(&server, "stop-data", "stopped", vec![]).await;
    let comprehend = server.comprehend();
    comprehend
        .stop_training_document_classifier()
        .document_classifier_arn(&arn)
        .send()
        .await
        .unwrap();
    server.kill();

    let server = Process::start(dir.path());
    let props = finished_classifier(&server.comprehend(), &arn).await;
    assert_eq!(props.status(), Some(&ModelStatus::Stopped), "{props:?}");
    assert!(props.end_time().is_some());
}

/// A training cancelled by the shutdown is no user's stop: the version stays TRAINING and
/// its job stays claimed; once released (as the shutdown releases it) the job trains the
/// version to the end. Driven in-process so the shutdown's cancel lands mid-training every
/// time, whatever the timing of a real SIGTERM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn training_cancelled_by_the_shutdown_resumes_instead_of_stopping() {
    use std::sync::atomic::Ordering;
    let env = crate::harness::Env::start_with(|c| c.workers = Some(0)).await;
    env.s3.create_bucket().bucket("shut").send().await.unwrap();
    env.put("shut", "big.csv", synthetic_csv(80_000, 40)).await;
    let arn = crate::harness::create_classifier(&env, "patient", None, "s3://shut/big.csv").await;
    let state = env.server.as_ref().unwrap().api().state().clone();
    let run = tokio::spawn({
        let state = state.clone();
        async move { comprehend_local::jobs::run_once(&state).await }
    });
    crate::harness::training_started(&env.comprehend, &arn).await;
    state.shutting_down.store(true, Ordering::Relaxed);
    assert!(run.await.unwrap().expect("job queue"), "the job ran");
    let status = classifier_status(&env.comprehend, &arn).await;
    assert_eq!(
        status,
        Some(ModelStatus::Training),
        "not STOPPED by a shutdown"
    );
    state.shutting_down.store(false, Ordering::Relaxed);
    let released = state.store.release_running_jobs(state.now_ms()).await;
    assert_eq!(released.unwrap(), 1, "the job was still claimed");
    env.drain().await;
    let props = finished_classifier(&env.comprehend, &arn).await;
    assert_eq!(
        props.status(),
        Some(&ModelStatus::Trained),
        "{:?}",
        props.message()
    );
}

/// The same for an iteration: the shutdown's cancel leaves the iteration and its new version
/// TRAINING with the job claimed, and the released job completes both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_iteration_cancelled_by_the_shutdown_resumes() {
    use aws_sdk_comprehend::types::{
        DatasetType, DocumentClassificationConfig, DocumentClassifierMode, FlywheelIterationStatus,
    };
    use std::sync::atomic::Ordering;
    let env = crate::harness::Env::start_with(|c| c.workers = Some(0)).await;
    env.s3
        .create_bucket()
        .bucket("shut-fw")
        .send()
        .await
        .unwrap();
    env.put("shut-fw", "big.csv", synthetic_csv(80_000, 40))
        .await;
    let config = DocumentClassificationConfig::builder()
        .mode(DocumentClassifierMode::MultiClass)
        .build()
        .unwrap();
    let flywheel =
        crate::harness::create_new_model_flywheel(&env, "patient", config, "s3://shut-fw/lake")
            .await;
    env.drain().await;
    crate::harness::create_dataset(
        &env,
        &flywheel,
        "big",
        DatasetType::Train,
        "s3://shut-fw/big.csv",
    )
    .await;
    env.drain().await;
    let id = crate::harness::start_iteration(&env.comprehend, &flywheel).await;
    let state = env.server.as_ref().unwrap().api().state().clone();
    let run = tokio::spawn({
        let state = state.clone();
        async move { comprehend_local::jobs::run_once(&state).await }
    });
    let version = training_classifier(&env.comprehend).await;
    state.shutting_down.store(true, Ordering::Relaxed);
    assert!(run.await.unwrap().expect("job queue"), "the job ran");
    assert_eq!(
        classifier_status(&env.comprehend, &version).await,
        Some(ModelStatus::Training)
    );
    state.shutting_down.store(false, Ordering::Relaxed);
    let released = state.store.release_running_jobs(state.now_ms()).await;
    assert_eq!(released.unwrap(), 1, "the job was still claimed");
    env.drain().await;
    let it = crate::harness::finished_iteration(&env.comprehend, &flywheel, &id).await;
    assert_eq!(
        it.status(),
        Some(&FlywheelIterationStatus::Completed),
        "{:?}",
        it.message()
    );
    assert_eq!(
        classifier_status(&env.comprehend, &version).await,
        Some(ModelStatus::Trained)
    );
}

/// The ARN of the classifier version that is TRAINING, once there is one.
async fn training_classifier(client: &aws_sdk_comprehend::Client) -> String {
    use aws_sdk_comprehend::types::DocumentClassifierFilter;
    wait_for("a version to train", 60, || async {
        let filter = DocumentClassifierFilter::builder()
            .status(ModelStatus::Training)
            .build();
        let listed = client
            .list_document_classifiers()
            .filter(filter)
            .send()
            .await
            .ok()?;
        listed
            .document_classifier_properties_list()
            .first()
            .and_then(|p| p.document_classifier_arn())
            .map(str::to_owned)
    })
    .await
}
