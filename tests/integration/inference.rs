//! Endpoints, ClassifyDocument and asynchronous classification jobs.

use std::io::Read;

use aws_sdk_comprehend::primitives::Blob;
use aws_sdk_comprehend::types::{
    DatasetType, DocumentClassificationJobFilter, DocumentClassifierInputDataConfig,
    DocumentClassifierMode, EndpointStatus, InputDataConfig, InputFormat, JobStatus, LanguageCode,
    OutputDataConfig,
};

use crate::harness::{
    Env, ROLE, Wire, code, create_dataset, endpoint_ready, finished_classifier, finished_iteration,
    finished_job, message, over_both_wires, served_endpoint, settled_dataset, settled_flywheel,
    start_iteration, trained_wordnet, wait_for,
};

over_both_wires!(endpoints_serve_real_scores_and_report_their_state);

async fn endpoints_serve_real_scores_and_report_their_state(wire: Wire) {
    let env = Env::start_over(wire, |_| {}).await;
    let model = trained_wordnet(&env, "ep-data", "served").await;
    let created = env
        .comprehend
        .create_endpoint()
        .endpoint_name("wordnet")
        .model_arn(&model)
        .desired_inference_units(2)
        .send()
        .await
        .unwrap();
    let endpoint = created.endpoint_arn().unwrap().to_owned();
    assert_eq!(endpoint, env.arn("document-classifier-endpoint/wordnet"));
    assert_eq!(created.model_arn(), Some(model.as_str()));
    let props = endpoint_ready(&env.comprehend, &endpoint).await;
    assert_eq!(props.status(), Some(&EndpointStatus::InService));
    assert_eq!(
        (
            props.desired_inference_units(),
            props.current_inference_units()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(props.desired_model_arn(), props.model_arn());

    assert_text_and_bytes_classified(&env, &endpoint).await;

    let listed = env.comprehend.list_endpoints().send().await.unwrap();
    assert_eq!(listed.endpoint_properties_list().len(), 1);
    let err = env
        .comprehend
        .create_endpoint()
        .endpoint_name("wordnet")
        .model_arn(&model)
        .desired_inference_units(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceInUseException");

    assert_update_then_delete(&env, &endpoint).await;
}

/// Text gets all ten classes with softmax scores in descending order; bytes work too.
async fn assert_text_and_bytes_classified(env: &Env, endpoint: &str) {
    let answer = env
        .comprehend
        .classify_document()
        .endpoint_arn(endpoint)
        .text("a large carnivorous feline with a tawny coat")
        .send()
        .await
        .unwrap();
    let classes = answer.classes();
    assert_eq!(classes.len(), 10);
    assert_eq!(classes[0].name(), Some("ANIMAL"));
    assert!(
        classes.windows(2).all(|w| w[0].score() >= w[1].score()),
        "descending scores"
    );
    let total: f32 = classes.iter().filter_map(|c| c.score()).sum();
    assert!(
        (total - 1.0).abs() < 1e-3,
        "softmax scores sum to one: {total}"
    );
    assert!(answer.labels().is_empty());

    // Bytes holding plain text work too, and report the document they read.
    let answer = env
        .comprehend
        .classify_document()
        .endpoint_arn(endpoint)
        .bytes(Blob::new("a person who writes poems"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.classes()[0].name(), Some("PERSON"));
    assert_eq!(answer.document_metadata().unwrap().pages(), Some(1));
}

/// Inference units: an update moves through UPDATING back to IN_SERVICE; after deletion
/// the endpoint is gone and classifying on it is refused.
async fn assert_update_then_delete(env: &Env, endpoint: &str) {
    env.comprehend
        .update_endpoint()
        .endpoint_arn(endpoint)
        .desired_inference_units(3)
        .send()
        .await
        .unwrap();
    let props = wait_for("3 IUs", 30, || async {
        let p = env
            .comprehend
            .describe_endpoint()
            .endpoint_arn(endpoint)
            .send()
            .await
            .ok()?
            .endpoint_properties?;
        (p.current_inference_units() == Some(3) && p.status() == Some(&EndpointStatus::InService))
            .then_some(p)
    })
    .await;
    assert_eq!(props.desired_inference_units(), Some(3));

    env.comprehend
        .delete_endpoint()
        .endpoint_arn(endpoint)
        .send()
        .await
        .unwrap();
    wait_for("deletion", 30, || async {
        let err = env
            .comprehend
            .describe_endpoint()
            .endpoint_arn(endpoint)
            .send()
            .await
            .err()?;
        (code(&err) == "ResourceNotFoundException").then_some(())
    })
    .await;
    let err = env
        .comprehend
        .classify_document()
        .endpoint_arn(endpoint)
        .text("anything")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceUnavailableException");
}

over_both_wires!(classify_document_errors);

async fn classify_document_errors(wire: Wire) {
    let env = Env::start_over(wire, |_| {}).await;
    let model = trained_wordnet(&env, "cd-errors", "errs").await;
    let endpoint = served_endpoint(&env, &model, "errs").await;
    assert_classify_requests_rejected(&env, &endpoint).await;
    // Quotas and model checks at creation.
    assert_create_endpoint_checks(&env, &model).await;
}

/// Documents over 10 KB of UTF-8, unsupported bytes, text and bytes together or neither,
/// an unknown endpoint.
async fn assert_classify_requests_rejected(env: &Env, endpoint: &str) {
    let classify = || env.comprehend.classify_document().endpoint_arn(endpoint);

    let err = classify()
        .text("x".repeat(10_001))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "TextSizeLimitExceededException");
    classify().text("é".repeat(5_000)).send().await.unwrap();
    let err = classify().text("é".repeat(5_001)).send().await.unwrap_err();
    assert_eq!(
        code(&err),
        "TextSizeLimitExceededException",
        "the limit is 10 KB of UTF-8, not 10,000 characters"
    );

    let err = classify()
        .bytes(Blob::new(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
    let service = err.into_service_error();
    let aws_sdk_comprehend::operation::classify_document::ClassifyDocumentError::InvalidRequestException(invalid) = service else {
        panic!("not an InvalidRequestException: {service:?}")
    };
    assert_eq!(
        invalid.reason(),
        Some(&aws_sdk_comprehend::types::InvalidRequestReason::InvalidDocument)
    );
    assert_eq!(
        invalid.detail().unwrap().reason(),
        Some(&aws_sdk_comprehend::types::InvalidRequestDetailReason::UnsupportedDocType)
    );

    let err = classify()
        .text("a")
        .bytes(Blob::new("b"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
    let err = classify().send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
    let err = env
        .comprehend
        .classify_document()
        .endpoint_arn(env.arn("document-classifier-endpoint/none"))
        .text("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceUnavailableException");
    assert_eq!(crate::harness::status(&err), 404);
}

/// Inference units beyond the quota or below the minimum, an unknown model, no model.
async fn assert_create_endpoint_checks(env: &Env, model: &str) {
    let err = env
        .comprehend
        .create_endpoint()
        .endpoint_name("huge")
        .model_arn(model)
        .desired_inference_units(11)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceLimitExceededException");
    let err = env
        .comprehend
        .create_endpoint()
        .endpoint_name("zero")
        .model_arn(model)
        .desired_inference_units(0)
        .send()
        .await
        .unwrap_err();
    // The server enforces the model's minimum (some SDKs also check it before sending).
    assert!(
        err.as_service_error().is_none() || code(&err) == "ValidationException",
        "{err:?}"
    );
    let err = env
        .comprehend
        .create_endpoint()
        .endpoint_name("ghost")
        .model_arn(env.arn("document-classifier/ghost"))
        .desired_inference_units(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
    let err = env
        .comprehend
        .create_endpoint()
        .endpoint_name("nothing")
        .desired_inference_units(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
}

#[tokio::test]
async fn throughput_emulation_throttles_above_the_inference_units() {
    // A manual clock: the test moves time instead of sleeping.
    let clock = comprehend_local::clock::Clock::manual(1_700_000_000_000);
    let server_clock = clock.clone();
    let env = Env::start_with(move |c| {
        c.throttle_endpoints = true;
        c.clock = server_clock;
    })
    .await;
    let model = trained_wordnet(&env, "throttle-data", "limited").await;
    let endpoint = served_endpoint(&env, &model, "one-iu").await;
    let text = "a tool for cutting wood ".repeat(3); // 72 characters: 1 IU = 100 characters/s
    env.comprehend
        .classify_document()
        .endpoint_arn(&endpoint)
        .text(&text)
        .send()
        .await
        .unwrap();
    let err = env
        .comprehend
        .classify_document()
        .endpoint_arn(&endpoint)
        .text(&text)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "TooManyRequestsException");
    assert_eq!(crate::harness::status(&err), 429);
    clock.advance(400);
    let err = env
        .comprehend
        .classify_document()
        .endpoint_arn(&endpoint)
        .text(&text)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&err),
        "TooManyRequestsException",
        "28 + 40 characters < 72"
    );
    clock.advance(100);
    env.comprehend
        .classify_document()
        .endpoint_arn(&endpoint)
        .text(&text)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn multi_label_endpoints_answer_labels() {
    let env = Env::start().await;
    env.bucket_with("ml-ep", &[("multi.csv", "multilabel.csv")])
        .await;
    let arn = env
        .comprehend
        .create_document_classifier()
        .document_classifier_name("topics")
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .mode(DocumentClassifierMode::MultiLabel)
        .input_data_config(
            DocumentClassifierInputDataConfig::builder()
                .s3_uri("s3://ml-ep/multi.csv")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap();
    finished_classifier(&env.comprehend, &arn).await;
    let endpoint = served_endpoint(&env, &arn, "topics").await;
    let answer = env
        .comprehend
        .classify_document()
        .endpoint_arn(&endpoint)
        .text("the coach praised the players after the match and the new app")
        .send()
        .await
        .unwrap();
    assert!(answer.classes().is_empty());
    let labels = answer.labels();
    assert_eq!(labels.len(), 4);
    let top: Vec<&str> = labels.iter().take(2).filter_map(|l| l.name()).collect();
    assert!(top.contains(&"SPORTS"), "{labels:?}");
    assert!(labels[0].score().unwrap() > 0.5);
}

over_both_wires!(flywheel_endpoints_follow_promotion_and_async_jobs_match_the_endpoint);

async fn flywheel_endpoints_follow_promotion_and_async_jobs_match_the_endpoint(wire: Wire) {
    let env = Env::start_over(wire, |_| {}).await;
    let model = trained_wordnet(&env, "fw-ep", "wordnet").await;
    let (flywheel, endpoint) = flywheel_and_endpoint(&env, &model).await;
    let trained = promote_a_new_version(&env, &flywheel, &endpoint).await;

    // An async job through the flywheel classifies every line, like the endpoint does.
    let job_id = start_flywheel_job(&env, &flywheel, &trained).await;
    assert_job_matches_endpoint(&env, &job_id, &endpoint).await;

    // By model ARN, one document per file; then filters and unknown ids.
    assert_one_document_per_file(&env, &model).await;
    assert_job_filters_and_errors(&env, &model).await;
}

/// A flywheel "served" on `model` with its lake in `fw-ep-lake`, and an endpoint on the
/// flywheel serving `model`. Returns the ARNs of both.
async fn flywheel_and_endpoint(env: &Env, model: &str) -> (String, String) {
    env.s3
        .create_bucket()
        .bucket("fw-ep-lake")
        .send()
        .await
        .unwrap();
    let flywheel = env
        .comprehend
        .create_flywheel()
        .flywheel_name("served")
        .active_model_arn(model)
        .data_access_role_arn(ROLE)
        .data_lake_s3_uri("s3://fw-ep-lake/")
        .send()
        .await
        .unwrap()
        .flywheel_arn
        .unwrap();
    settled_flywheel(&env.comprehend, &flywheel).await;
    let created = env
        .comprehend
        .create_endpoint()
        .endpoint_name("via-flywheel")
        .flywheel_arn(&flywheel)
        .desired_inference_units(1)
        .send()
        .await
        .unwrap();
    assert_eq!(created.model_arn(), Some(model));
    let endpoint = created.endpoint_arn.unwrap();
    let props = endpoint_ready(&env.comprehend, &endpoint).await;
    assert_eq!(props.flywheel_arn(), Some(flywheel.as_str()));
    assert_eq!(props.model_arn(), Some(model));
    (flywheel, endpoint)
}

/// Trains a new version with an iteration on more data and promotes it; the endpoint moves
/// to it. Returns the new version's ARN.
async fn promote_a_new_version(env: &Env, flywheel: &str, endpoint: &str) -> String {
    let dataset = create_dataset(
        env,
        flywheel,
        "more",
        DatasetType::Train,
        "s3://fw-ep/more.csv",
    )
    .await;
    settled_dataset(&env.comprehend, &dataset).await;
    let id = start_iteration(&env.comprehend, flywheel).await;
    let iteration = finished_iteration(&env.comprehend, flywheel, &id).await;
    let trained = iteration.trained_model_arn().unwrap().to_owned();
    env.comprehend
        .update_flywheel()
        .flywheel_arn(flywheel)
        .active_model_arn(&trained)
        .send()
        .await
        .unwrap();
    let props = wait_for(
        "the endpoint to move to the promoted version",
        30,
        || async {
            let p = env
                .comprehend
                .describe_endpoint()
                .endpoint_arn(endpoint)
                .send()
                .await
                .ok()?
                .endpoint_properties?;
            (p.model_arn() == Some(trained.as_str())
                && p.status() == Some(&EndpointStatus::InService))
            .then_some(p)
        },
    )
    .await;
    assert_eq!(props.desired_model_arn(), Some(trained.as_str()));
    trained
}

/// The lines of `input/docs.txt` for the flywheel's job (one of them empty).
const JOB_LINES: [&str; 4] = [
    "a small domesticated carnivorous mammal",
    "",
    "the act of running quickly",
    "a tall plant with a woody trunk",
];

/// Uploads two input files and starts the "nightly" job on the flywheel, which picks its
/// active version `trained`. Returns the job id.
async fn start_flywheel_job(env: &Env, flywheel: &str, trained: &str) -> String {
    env.put("fw-ep", "input/docs.txt", JOB_LINES.join("\r\n"))
        .await;
    env.put("fw-ep", "input/more/docs2.txt", "a person who sings\n")
        .await;
    let started = env
        .comprehend
        .start_document_classification_job()
        .job_name("nightly")
        .flywheel_arn(flywheel)
        .data_access_role_arn(ROLE)
        .input_data_config(
            InputDataConfig::builder()
                .s3_uri("s3://fw-ep/input/")
                .build()
                .unwrap(),
        )
        .output_data_config(
            OutputDataConfig::builder()
                .s3_uri("s3://fw-ep/output/")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(started.job_status(), Some(&JobStatus::Submitted));
    assert_eq!(started.document_classifier_arn(), Some(trained));
    let job_id = started.job_id().unwrap().to_owned();
    assert_eq!(job_id.len(), 32);
    assert!(job_id.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(
        started.job_arn(),
        Some(
            env.arn(&format!("document-classification-job/{job_id}"))
                .as_str()
        )
    );
    job_id
}

/// The job completes with one prediction per non-empty line, scored as the endpoint scores.
async fn assert_job_matches_endpoint(env: &Env, job_id: &str, endpoint: &str) {
    let job = finished_job(&env.comprehend, job_id).await;
    assert_eq!(
        job.job_status(),
        Some(&JobStatus::Completed),
        "{:?}",
        job.message()
    );
    assert_eq!(
        job.input_data_config().unwrap().input_format(),
        Some(&InputFormat::OneDocPerLine)
    );
    let output = job.output_data_config().unwrap().s3_uri();
    assert_eq!(
        output,
        format!("s3://fw-ep/output/000000000000-CLN-{job_id}/output/output.tar.gz")
    );
    let predictions =
        read_predictions(env, "fw-ep", output.strip_prefix("s3://fw-ep/").unwrap()).await;
    assert_eq!(
        predictions.len(),
        4,
        "one line per non-empty input line: {predictions:?}"
    );
    let first = &predictions[0];
    assert_eq!(first["File"], "docs.txt");
    assert_eq!(first["Line"], "0");
    assert_eq!(predictions[1]["Line"], "2");
    assert_eq!(predictions[3]["File"], "more/docs2.txt");
    let endpoint_answer = env
        .comprehend
        .classify_document()
        .endpoint_arn(endpoint)
        .text(JOB_LINES[0])
        .send()
        .await
        .unwrap();
    let classes = first["Classes"].as_array().unwrap();
    assert_eq!(classes.len(), endpoint_answer.classes().len());
    for (from_job, from_endpoint) in classes.iter().zip(endpoint_answer.classes()) {
        assert_eq!(from_job["Name"].as_str(), from_endpoint.name());
        assert!(
            (from_job["Score"].as_f64().unwrap() as f32 - from_endpoint.score().unwrap()).abs()
                < 1e-6
        );
    }
}

/// A job by model ARN with ONE_DOC_PER_FILE: one prediction per file, without line numbers.
async fn assert_one_document_per_file(env: &Env, model: &str) {
    let by_model = env
        .comprehend
        .start_document_classification_job()
        .document_classifier_arn(model)
        .data_access_role_arn(ROLE)
        .input_data_config(
            InputDataConfig::builder()
                .s3_uri("s3://fw-ep/input/")
                .input_format(InputFormat::OneDocPerFile)
                .build()
                .unwrap(),
        )
        .output_data_config(
            OutputDataConfig::builder()
                .s3_uri("s3://fw-ep/per-file")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .job_id
        .unwrap();
    let done = finished_job(&env.comprehend, &by_model).await;
    assert_eq!(
        done.job_status(),
        Some(&JobStatus::Completed),
        "{:?}",
        done.message()
    );
    let output = done.output_data_config().unwrap().s3_uri();
    let predictions =
        read_predictions(env, "fw-ep", output.strip_prefix("s3://fw-ep/").unwrap()).await;
    assert_eq!(predictions.len(), 2);
    assert!(predictions.iter().all(|p| p.get("Line").is_none()));
}

/// Listing by job name; an unknown job id; a job with neither model nor flywheel; a job
/// whose input is missing fails with a message naming it.
async fn assert_job_filters_and_errors(env: &Env, model: &str) {
    let named = env
        .comprehend
        .list_document_classification_jobs()
        .filter(
            DocumentClassificationJobFilter::builder()
                .job_name("nightly")
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(named.document_classification_job_properties_list().len(), 1);
    let err = env
        .comprehend
        .describe_document_classification_job()
        .job_id("ffffffffffffffffffffffffffffffff")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "JobNotFoundException");
    let err = env
        .comprehend
        .start_document_classification_job()
        .data_access_role_arn(ROLE)
        .input_data_config(
            InputDataConfig::builder()
                .s3_uri("s3://fw-ep/input/")
                .build()
                .unwrap(),
        )
        .output_data_config(
            OutputDataConfig::builder()
                .s3_uri("s3://fw-ep/out")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException", "{}", message(&err));
    let failing = env
        .comprehend
        .start_document_classification_job()
        .document_classifier_arn(model)
        .data_access_role_arn(ROLE)
        .input_data_config(
            InputDataConfig::builder()
                .s3_uri("s3://fw-ep/nothing/")
                .build()
                .unwrap(),
        )
        .output_data_config(
            OutputDataConfig::builder()
                .s3_uri("s3://fw-ep/out")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .job_id
        .unwrap();
    let failed = finished_job(&env.comprehend, &failing).await;
    assert_eq!(failed.job_status(), Some(&JobStatus::Failed));
    assert!(failed.message().unwrap().contains("s3://fw-ep/nothing/"));
}

async fn read_predictions(env: &Env, bucket: &str, key: &str) -> Vec<serde_json::Value> {
    let archive = env.get(bucket, key).await;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(archive.as_slice()));
    let mut entry = tar.entries().unwrap().next().unwrap().unwrap();
    assert_eq!(entry.path().unwrap().to_str(), Some("predictions.jsonl"));
    let mut text = String::new();
    entry.read_to_string(&mut text).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
