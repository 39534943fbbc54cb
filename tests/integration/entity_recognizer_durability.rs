//! Crashes and stops of entity recognizers and their flywheels: after `kill -9` while a
//! recognizer trains, a dataset is ingested or an iteration trains, the work resumes after a
//! restart (or ends IN_ERROR / FAILED with a message) and nothing is left SUBMITTED, CREATING
//! or TRAINING; a shutdown's cancel and a user's stop of an iteration's version.

use aws_sdk_comprehend::types::{
    DatasetStatus, DatasetType, EntityRecognizerFilter, FlywheelIterationStatus, FlywheelStatus,
    InputFormat, LanguageCode, ModelStatus,
};
use aws_sdk_s3::primitives::ByteStream;

use crate::harness::{
    Env, Process, ROLE, assert_dataset_completed, assert_iteration_completed, finished_iteration,
    settled_dataset, settled_flywheel, start_iteration, wait_for,
};
use crate::ner_support::{
    annotated, annotated_dataset, entity_task, finished, fixture, new_flywheel, repeated,
    try_dataset,
};

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

/// A bucket `bucket` holding the repeated corpus (`big/big.txt` with `big.csv`) and the
/// fixture's test documents, and an ACTIVE flywheel for a new PERSON and LOCATION
/// recognizer with the test documents as its TEST dataset. With `jobs`, a server without
/// workers, its queue is drained after each request.
async fn big_flywheel(
    (comprehend, s3): (&aws_sdk_comprehend::Client, &aws_sdk_s3::Client),
    bucket: &str,
    jobs: Option<&Env>,
) -> String {
    s3.create_bucket().bucket(bucket).send().await.unwrap();
    let (text, csv) = repeated(300);
    let files = [
        ("big/big.txt", text),
        ("big.csv", csv),
        ("test/documents.txt", fixture("test/documents.txt")),
        ("test.csv", fixture("annotations/test.csv")),
    ];
    for (key, body) in files {
        s3.put_object()
            .bucket(bucket)
            .key(key)
            .body(ByteStream::from(body.into_bytes()))
            .send()
            .await
            .unwrap();
    }
    let task = entity_task(&["PERSON", "LOCATION"]);
    let flywheel = new_flywheel(comprehend, (bucket, "survivor"), task).await;
    let flywheel = flywheel.expect("CreateFlywheel");
    drain(jobs).await;
    let props = settled_flywheel(comprehend, &flywheel).await;
    assert_eq!(props.status(), Some(&FlywheelStatus::Active));
    let source = ("test/", "test.csv", InputFormat::OneDocPerLine);
    let input = annotated_dataset(bucket, source);
    let test = try_dataset(comprehend, &flywheel, "test", DatasetType::Test, input).await;
    drain(jobs).await;
    let test = settled_dataset(comprehend, &test.unwrap()).await;
    assert_eq!(test.status(), Some(&DatasetStatus::Completed));
    flywheel
}

async fn drain(jobs: Option<&Env>) {
    if let Some(env) = jobs {
        env.drain().await;
    }
}

/// CreateDataset of the repeated corpus as TRAIN data; its ARN.
async fn big_dataset(
    comprehend: &aws_sdk_comprehend::Client,
    bucket: &str,
    flywheel: &str,
) -> String {
    let source = ("big/", "big.csv", InputFormat::OneDocPerLine);
    let input = annotated_dataset(bucket, source);
    let made = try_dataset(comprehend, flywheel, "big", DatasetType::Train, input).await;
    made.expect("CreateDataset")
}

/// `kill -9` right after CreateDataset answered, while the dataset is ingested: after a
/// restart the ingestion runs again to COMPLETED, and the lake holds every document once.
#[tokio::test]
async fn kill_9_during_ingestion_then_restart_completes_the_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let server = Process::start(dir.path());
    let (comprehend, s3) = (server.comprehend(), server.s3());
    let flywheel = big_flywheel((&comprehend, &s3), "ingest", None).await;
    let dataset = big_dataset(&comprehend, "ingest", &flywheel).await;
    server.kill();

    let server = Process::start(dir.path());
    let (comprehend, s3) = (server.comprehend(), server.s3());
    let props = settled_dataset(&comprehend, &dataset).await;
    assert_dataset_completed(&props);
    assert_eq!(props.number_of_documents(), Some(18_000));
    let folder = props.dataset_s3_uri().unwrap();
    let key = folder.trim_start_matches("s3://ingest/").to_owned() + "documents.txt";
    let lake = s3.get_object().bucket("ingest").key(&key).send().await;
    let body = lake
        .expect("the lake's documents")
        .body
        .collect()
        .await
        .unwrap();
    let text = String::from_utf8(body.to_vec()).unwrap();
    assert_eq!(text.lines().count(), 18_000, "every document once");
    assert_eq!(server.terminate().code(), Some(0));
}

/// The ARN of the entity recognizer version that is TRAINING, once there is one.
async fn training_recognizer(client: &aws_sdk_comprehend::Client) -> String {
    wait_for("a version to train", 120, || async {
        let filter = EntityRecognizerFilter::builder()
            .status(ModelStatus::Training)
            .build();
        let listed = client
            .list_entity_recognizers()
            .filter(filter)
            .send()
            .await
            .ok()?;
        listed
            .entity_recognizer_properties_list()
            .first()
            .and_then(|p| p.entity_recognizer_arn())
            .map(str::to_owned)
    })
    .await
}

/// `kill -9` while an iteration trains its version: after a restart the iteration ends
/// COMPLETED (or FAILED with a message), with exactly one generated version, finished.
#[tokio::test]
async fn kill_9_during_an_iteration_then_restart_finishes_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = Process::start(dir.path());
    let (comprehend, s3) = (server.comprehend(), server.s3());
    let flywheel = big_flywheel((&comprehend, &s3), "iterate", None).await;
    let dataset = big_dataset(&comprehend, "iterate", &flywheel).await;
    settled_dataset(&comprehend, &dataset).await;
    let id = start_iteration(&comprehend, &flywheel).await;
    let version = training_recognizer(&comprehend).await;
    server.kill();

    let server = Process::start(dir.path());
    let comprehend = server.comprehend();
    let it = finished_iteration(&comprehend, &flywheel, &id).await;
    let props = finished(&comprehend, &version).await;
    match it.status() {
        Some(FlywheelIterationStatus::Completed) => {
            assert_eq!(it.trained_model_arn(), Some(version.as_str()));
            assert_eq!(props.status(), Some(&ModelStatus::Trained));
        }
        Some(FlywheelIterationStatus::Failed) => assert!(it.message().is_some()),
        other => panic!("left {other:?}: {:?}", it.message()),
    }
    let listed = comprehend.list_entity_recognizers().send().await.unwrap();
    let versions = listed.entity_recognizer_properties_list();
    assert_eq!(
        versions.len(),
        1,
        "one version, not a second after the restart"
    );
    assert_eq!(server.terminate().code(), Some(0));
}

/// StopTrainingEntityRecognizer on the version an iteration trains stops both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_an_iterations_version_stops_the_iteration() {
    let env = Env::start().await;
    let flywheel = big_flywheel((&env.comprehend, &env.s3), "halt", None).await;
    let dataset = big_dataset(&env.comprehend, "halt", &flywheel).await;
    settled_dataset(&env.comprehend, &dataset).await;
    let id = start_iteration(&env.comprehend, &flywheel).await;
    let version = training_recognizer(&env.comprehend).await;
    env.comprehend
        .stop_training_entity_recognizer()
        .entity_recognizer_arn(&version)
        .send()
        .await
        .expect("StopTrainingEntityRecognizer");
    let it = finished_iteration(&env.comprehend, &flywheel, &id).await;
    let status = it.status();
    assert_eq!(
        status,
        Some(&FlywheelIterationStatus::Stopped),
        "{:?}",
        it.message()
    );
    let props = finished(&env.comprehend, &version).await;
    assert_eq!(props.status(), Some(&ModelStatus::Stopped));
}

/// A recognizer iteration cancelled by the shutdown stays TRAINING with its job claimed;
/// released (as the shutdown releases it), the job completes the iteration and the version.
/// In-process, so the cancel lands mid-training whatever a real SIGTERM's timing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recognizer_iteration_cancelled_by_the_shutdown_resumes() {
    use std::sync::atomic::Ordering;
    let env = Env::start_with(|c| c.workers = Some(0)).await;
    let flywheel = big_flywheel((&env.comprehend, &env.s3), "pause", Some(&env)).await;
    let dataset = big_dataset(&env.comprehend, "pause", &flywheel).await;
    env.drain().await;
    settled_dataset(&env.comprehend, &dataset).await;
    let id = start_iteration(&env.comprehend, &flywheel).await;
    let state = env.server.as_ref().unwrap().api().state().clone();
    let run = tokio::spawn({
        let state = state.clone();
        async move { comprehend_local::jobs::run_once(&state).await }
    });
    let version = training_recognizer(&env.comprehend).await;
    state.shutting_down.store(true, Ordering::Relaxed);
    assert!(run.await.unwrap().expect("job queue"), "the job ran");
    let it = env
        .comprehend
        .describe_flywheel_iteration()
        .flywheel_arn(&flywheel)
        .flywheel_iteration_id(&id)
        .send()
        .await
        .unwrap();
    let status = it.flywheel_iteration_properties().unwrap().status();
    assert_eq!(
        status,
        Some(&FlywheelIterationStatus::Training),
        "not STOPPED"
    );
    state.shutting_down.store(false, Ordering::Relaxed);
    let released = state.store.release_running_jobs(state.now_ms()).await;
    assert_eq!(released.unwrap(), 1, "the job was still claimed");
    env.drain().await;
    let it = finished_iteration(&env.comprehend, &flywheel, &id).await;
    assert_iteration_completed(&it);
    let props = finished(&env.comprehend, &version).await;
    assert_eq!(props.status(), Some(&ModelStatus::Trained));
}
