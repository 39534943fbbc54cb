//! Rules that only one of two requests may pass, raced: each pair of operations is sent
//! at the same moment through the real server many times, and no trial may see both
//! succeed. A check that guards a write runs in the write's transaction; before it did,
//! CreateEndpoint and DeleteDocumentClassifier both succeeded in most trials and left
//! endpoints in service on deleted models. Where the work one request starts could end,
//! and stop using what the other request removes, before the other request is served (a
//! job, an iteration, an ingestion), the server's queue is paused, so that both requests
//! succeeding can only mean a rule that did not hold.

use std::future::Future;

use aws_sdk_comprehend::types::{
    DocumentClassificationJobFilter, InputDataConfig, LanguageCode, OutputDataConfig,
};

use crate::durability::synthetic_csv;
use crate::harness::{
    Env, ROLE, create_classifier, endpoint_ready, finished_classifier, served_endpoint,
    settled_flywheel, wait_for,
};

/// Trials per pair: enough that the old code failed nearly every run (9 of 12 trials
/// let both requests of the first pair through).
const TRIALS: usize = 25;

/// Sends both requests at once and returns whether each succeeded.
async fn race<A, B>(a: A, b: B) -> (bool, bool)
where
    A: Future<Output = bool>,
    B: Future<Output = bool>,
{
    tokio::join!(a, b)
}

/// Counts of a pair's outcomes, checked and printed at the end.
#[derive(Default, Debug)]
struct Tally {
    first: usize,
    second: usize,
    neither: usize,
}

impl Tally {
    fn record(&mut self, pair: &str, trial: usize, (a, b): (bool, bool)) {
        assert!(!(a && b), "{pair}: trial {trial}: both requests succeeded");
        match (a, b) {
            (true, _) => self.first += 1,
            (_, true) => self.second += 1,
            _ => self.neither += 1,
        }
    }
}

/// `count` trained versions of one classifier, on a small synthetic corpus.
async fn trained_versions(env: &Env, bucket: &str, name: &str, count: usize) -> Vec<String> {
    env.s3.create_bucket().bucket(bucket).send().await.unwrap();
    env.put(bucket, "train.csv", synthetic_csv(120, 3)).await;
    let mut arns = Vec::new();
    for i in 0..count {
        let uri = format!("s3://{bucket}/train.csv");
        arns.push(create_classifier(env, name, Some(&format!("v{i}")), &uri).await);
    }
    // Servers whose queue is paused (workers = 0) train here; others train meanwhile.
    env.drain().await;
    for arn in &arns {
        let props = finished_classifier(&env.comprehend, arn).await;
        assert_eq!(props.status().map(|s| s.as_str()), Some("TRAINED"));
    }
    arns
}

async fn delete_classifier(env: &Env, arn: &str) -> bool {
    env.comprehend
        .delete_document_classifier()
        .document_classifier_arn(arn)
        .send()
        .await
        .is_ok()
}

async fn create_endpoint(env: &Env, name: &str, model: &str, units: i32) -> bool {
    env.comprehend
        .create_endpoint()
        .endpoint_name(name)
        .model_arn(model)
        .desired_inference_units(units)
        .send()
        .await
        .is_ok()
}

/// Deletes an endpoint and waits until it is gone (so the next trial's quotas are
/// those of an empty region).
async fn remove_endpoint(env: &Env, name: &str) {
    let arn = env.arn(&format!("document-classifier-endpoint/{name}"));
    let deleted = env
        .comprehend
        .delete_endpoint()
        .endpoint_arn(&arn)
        .send()
        .await;
    if deleted.is_err() {
        return;
    }
    wait_for(&format!("{arn} to be removed"), 60, || async {
        let gone = env
            .comprehend
            .describe_endpoint()
            .endpoint_arn(&arn)
            .send()
            .await
            .is_err();
        gone.then_some(())
    })
    .await;
}

#[tokio::test]
async fn create_endpoint_and_delete_model_never_both_pass() {
    let env = Env::start().await;
    let models = trained_versions(&env, "race-ep", "race-ep", TRIALS).await;
    let mut tally = Tally::default();
    for (trial, model) in models.iter().enumerate() {
        let name = format!("race-ep-{trial}");
        let outcome = race(
            create_endpoint(&env, &name, model, 1),
            delete_classifier(&env, model),
        )
        .await;
        tally.record("CreateEndpoint / DeleteDocumentClassifier", trial, outcome);
        if outcome.0 {
            // The endpoint that won serves its model.
            let ready = endpoint_ready(
                &env.comprehend,
                &env.arn(&format!("document-classifier-endpoint/{name}")),
            )
            .await;
            assert_eq!(ready.status().map(|s| s.as_str()), Some("IN_SERVICE"));
            remove_endpoint(&env, &name).await;
        }
    }
    eprintln!("CreateEndpoint / DeleteDocumentClassifier: {tally:?}");
}

#[tokio::test]
async fn updating_an_endpoint_to_a_model_and_deleting_it_never_both_pass() {
    let env = Env::start().await;
    let models = trained_versions(&env, "race-upd", "race-upd", TRIALS + 1).await;
    let endpoint = served_endpoint(&env, &models[0], "race-upd").await;
    let mut tally = Tally::default();
    for (trial, model) in models[1..].iter().enumerate() {
        let update = async {
            env.comprehend
                .update_endpoint()
                .endpoint_arn(&endpoint)
                .desired_model_arn(model)
                .send()
                .await
                .is_ok()
        };
        let outcome = race(update, delete_classifier(&env, model)).await;
        tally.record("UpdateEndpoint / DeleteDocumentClassifier", trial, outcome);
        let ready = endpoint_ready(&env.comprehend, &endpoint).await;
        assert_eq!(ready.status().map(|s| s.as_str()), Some("IN_SERVICE"));
        if outcome.0 {
            assert_eq!(ready.model_arn(), Some(model.as_str()));
        }
    }
    eprintln!("UpdateEndpoint / DeleteDocumentClassifier: {tally:?}");
}

#[tokio::test]
async fn classification_job_and_delete_model_never_both_pass() {
    // The queue is paused, so a job that started can't finish (and stop using its model)
    // before the deletion races it: both succeeding would be a broken rule.
    let env = Env::start_with(|c| c.workers = Some(0)).await;
    let models = trained_versions(&env, "race-job", "race-job", TRIALS).await;
    env.put(
        "race-job",
        "docs.txt",
        "t0w1 shared2 shared3\nt1w4 shared5\n",
    )
    .await;
    let mut tally = Tally::default();
    for (trial, model) in models.iter().enumerate() {
        let start = async {
            env.comprehend
                .start_document_classification_job()
                .document_classifier_arn(model)
                .data_access_role_arn(ROLE)
                .input_data_config(
                    InputDataConfig::builder()
                        .s3_uri("s3://race-job/docs.txt")
                        .build()
                        .unwrap(),
                )
                .output_data_config(
                    OutputDataConfig::builder()
                        .s3_uri("s3://race-job/out/")
                        .build()
                        .unwrap(),
                )
                .send()
                .await
                .is_ok()
        };
        let outcome = race(start, delete_classifier(&env, model)).await;
        tally.record(
            "StartDocumentClassificationJob / DeleteDocumentClassifier",
            trial,
            outcome,
        );
    }
    // Every job that started runs on a model that still exists.
    env.drain().await;
    let jobs = env
        .comprehend
        .list_document_classification_jobs()
        .filter(DocumentClassificationJobFilter::builder().build())
        .send()
        .await
        .unwrap();
    let jobs = jobs.document_classification_job_properties_list();
    assert_eq!(jobs.len(), tally.first);
    for job in jobs {
        assert_eq!(
            job.job_status().map(|s| s.as_str()),
            Some("COMPLETED"),
            "{job:?}"
        );
    }
    eprintln!("StartDocumentClassificationJob / DeleteDocumentClassifier: {tally:?}");
}

#[tokio::test]
async fn flywheel_on_a_model_and_its_deletion_never_both_pass() {
    let env = Env::start().await;
    let models = trained_versions(&env, "race-fw", "race-fw", TRIALS).await;
    let mut tally = Tally::default();
    for (trial, model) in models.iter().enumerate() {
        let create = async {
            env.comprehend
                .create_flywheel()
                .flywheel_name(format!("race-fw-{trial}"))
                .active_model_arn(model)
                .data_access_role_arn(ROLE)
                .data_lake_s3_uri(format!("s3://race-fw/lake{trial}/"))
                .send()
                .await
                .is_ok()
        };
        let outcome = race(create, delete_classifier(&env, model)).await;
        tally.record("CreateFlywheel / DeleteDocumentClassifier", trial, outcome);
    }
    eprintln!("CreateFlywheel / DeleteDocumentClassifier: {tally:?}");
}

#[tokio::test]
async fn two_endpoints_at_the_endpoint_quota_never_both_pass() {
    let env = Env::start().await;
    let models = trained_versions(&env, "race-quota", "race-quota", 1).await;
    // A region holds 10 endpoints: 9 leave room for one more.
    for n in 0..9 {
        assert!(create_endpoint(&env, &format!("race-q-kept{n}"), &models[0], 1).await);
    }
    let mut tally = Tally::default();
    for trial in 0..TRIALS {
        let (a, b) = (format!("race-q{trial}a"), format!("race-q{trial}b"));
        let outcome = race(
            create_endpoint(&env, &a, &models[0], 1),
            create_endpoint(&env, &b, &models[0], 1),
        )
        .await;
        tally.record("CreateEndpoint / CreateEndpoint (quota)", trial, outcome);
        remove_endpoint(&env, &a).await;
        remove_endpoint(&env, &b).await;
    }
    assert_eq!(tally.neither, 0, "one of the two always fits: {tally:?}");
    eprintln!("CreateEndpoint / CreateEndpoint at the quota: {tally:?}");
}

/// An ACTIVE flywheel on `model`, for racing what may be done to it.
async fn active_flywheel(env: &Env, name: &str, model: &str, lake: &str) -> String {
    let arn = env
        .comprehend
        .create_flywheel()
        .flywheel_name(name)
        .active_model_arn(model)
        .data_access_role_arn(ROLE)
        .data_lake_s3_uri(lake)
        .send()
        .await
        .expect("create flywheel")
        .flywheel_arn
        .unwrap();
    env.drain().await;
    let props = settled_flywheel(&env.comprehend, &arn).await;
    assert_eq!(props.status().map(|s| s.as_str()), Some("ACTIVE"));
    arn
}

async fn delete_flywheel(env: &Env, arn: &str) -> bool {
    env.comprehend
        .delete_flywheel()
        .flywheel_arn(arn)
        .send()
        .await
        .is_ok()
}

#[tokio::test]
async fn iterations_and_datasets_never_start_on_a_deleted_flywheel() {
    use aws_sdk_comprehend::types::{
        DatasetDocumentClassifierInputDataConfig, DatasetInputDataConfig,
    };
    // Paused queue: an iteration or ingestion that started can't end (and let the
    // flywheel go) before the deletion races it.
    let env = Env::start_with(|c| c.workers = Some(0)).await;
    let models = trained_versions(&env, "race-it", "race-it", 1).await;
    let mut iterations = Tally::default();
    let mut datasets = Tally::default();
    for trial in 0..TRIALS {
        let lake = |what: &str| format!("s3://race-it/{what}{trial}/");
        let flywheel =
            active_flywheel(&env, &format!("race-it-{trial}"), &models[0], &lake("it")).await;
        let start = async {
            env.comprehend
                .start_flywheel_iteration()
                .flywheel_arn(&flywheel)
                .send()
                .await
                .is_ok()
        };
        let outcome = race(start, delete_flywheel(&env, &flywheel)).await;
        iterations.record("StartFlywheelIteration / DeleteFlywheel", trial, outcome);

        let flywheel =
            active_flywheel(&env, &format!("race-ds-{trial}"), &models[0], &lake("ds")).await;
        let create = async {
            env.comprehend
                .create_dataset()
                .flywheel_arn(&flywheel)
                .dataset_name("extra")
                .input_data_config(
                    DatasetInputDataConfig::builder()
                        .document_classifier_input_data_config(
                            DatasetDocumentClassifierInputDataConfig::builder()
                                .s3_uri("s3://race-it/train.csv")
                                .build()
                                .unwrap(),
                        )
                        .build(),
                )
                .send()
                .await
                .is_ok()
        };
        let outcome = race(create, delete_flywheel(&env, &flywheel)).await;
        datasets.record("CreateDataset / DeleteFlywheel", trial, outcome);
    }
    // A flywheel that refused its deletion has a running iteration or ingestion; once
    // that ends it can be deleted, and nothing of a deleted one is left to list.
    env.drain().await;
    for trial in 0..TRIALS {
        for name in [format!("race-it-{trial}"), format!("race-ds-{trial}")] {
            let arn = env.arn(&format!("flywheel/{name}"));
            wait_for(&format!("{name} to be deletable"), 180, || async {
                let gone = env
                    .comprehend
                    .describe_flywheel()
                    .flywheel_arn(&arn)
                    .send()
                    .await
                    .is_err();
                (gone || delete_flywheel(&env, &arn).await).then_some(())
            })
            .await;
        }
    }
    let left = env.comprehend.list_flywheels().send().await.unwrap();
    assert!(left.flywheel_summary_list().is_empty(), "{left:?}");
    eprintln!(
        "StartFlywheelIteration / DeleteFlywheel: {iterations:?}; CreateDataset / DeleteFlywheel: {datasets:?}"
    );
}

#[tokio::test]
async fn recognizer_endpoints_and_jobs_never_outlive_its_deletion() {
    use crate::ner_support::{annotated, create, finished, job_io, ner_bucket};
    const VERSIONS: usize = 8;
    // Paused queue: a job that started can't end before the deletion races it.
    let env = Env::start_with(|c| c.workers = Some(0)).await;
    ner_bucket(&env, "race-ner").await;
    let input = annotated("race-ner", "train/documents.txt", "annotations/train.csv");
    let mut versions = Vec::new();
    for n in 0..VERSIONS {
        versions.push(create(&env, "race-ner", Some(&format!("v{n}")), input.clone()).await);
    }
    env.drain().await;
    for arn in &versions {
        let props = finished(&env.comprehend, arn).await;
        assert_eq!(props.status().map(|s| s.as_str()), Some("TRAINED"));
    }
    let delete = |arn: String| {
        let client = env.comprehend.clone();
        async move {
            client
                .delete_entity_recognizer()
                .entity_recognizer_arn(arn)
                .send()
                .await
                .is_ok()
        }
    };
    let mut tally = Tally::default();
    for (trial, arn) in versions.iter().enumerate() {
        // Even trials race an endpoint, odd ones an entities detection job.
        let use_it = async {
            if trial % 2 == 0 {
                env.comprehend
                    .create_endpoint()
                    .endpoint_name(format!("race-ner-{trial}"))
                    .model_arn(arn)
                    .desired_inference_units(1)
                    .send()
                    .await
                    .is_ok()
            } else {
                let (input, output) = job_io("race-ner");
                env.comprehend
                    .start_entities_detection_job()
                    .entity_recognizer_arn(arn)
                    .language_code(LanguageCode::En)
                    .data_access_role_arn(ROLE)
                    .input_data_config(input)
                    .output_data_config(output)
                    .send()
                    .await
                    .is_ok()
            }
        };
        let outcome = race(use_it, delete(arn.clone())).await;
        tally.record(
            "CreateEndpoint or StartEntitiesDetectionJob / DeleteEntityRecognizer",
            trial,
            outcome,
        );
    }
    eprintln!("recognizer use / DeleteEntityRecognizer: {tally:?}");
}
