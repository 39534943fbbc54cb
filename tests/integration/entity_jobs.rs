//! Asynchronous entities detection jobs on a recognizer trained from generated sentences:
//! output agreeing with the endpoint, stops before and during a run, the AWS CLI's job
//! commands, and kill -9 while a job runs.

use std::io::Read;

use aws_sdk_comprehend::types::{
    EntitiesDetectionJobFilter, EntityRecognizerDocuments, EntityRecognizerEntityList,
    EntityRecognizerInputDataConfig, EntityTypesListItem, InputDataConfig, InputFormat, JobStatus,
    LanguageCode, OutputDataConfig,
};

use crate::entity_inference::{
    DEVICE, corpus, detect, put, recognizer_endpoint, train_with, trained_recognizer,
};
use crate::harness::{Env, ROLE, code, wait_for};

/// Starts a job over `input` (ONE_DOC_PER_LINE) with `model`.
async fn start_job(env: &Env, model: &str, input: &str, name: &str) -> String {
    env.comprehend
        .start_entities_detection_job()
        .job_name(name)
        .entity_recognizer_arn(model)
        .input_data_config(
            InputDataConfig::builder()
                .s3_uri(input)
                .input_format(InputFormat::OneDocPerLine)
                .build()
                .unwrap(),
        )
        .output_data_config(
            OutputDataConfig::builder()
                .s3_uri("s3://ner-job/out/")
                .build()
                .unwrap(),
        )
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .send()
        .await
        .expect("StartEntitiesDetectionJob")
        .job_id()
        .unwrap()
        .to_owned()
}

async fn ended_job(
    env: &Env,
    job_id: &str,
) -> aws_sdk_comprehend::types::EntitiesDetectionJobProperties {
    wait_for(&format!("job {job_id}"), 120, || async {
        let p = env
            .comprehend
            .describe_entities_detection_job()
            .job_id(job_id)
            .send()
            .await
            .ok()?
            .entities_detection_job_properties?;
        matches!(
            p.job_status(),
            Some(JobStatus::Completed | JobStatus::Failed | JobStatus::Stopped)
        )
        .then_some(p)
    })
    .await
}

/// The `output` member of a job's output.tar.gz, as JSON lines.
async fn output_lines(env: &Env, s3_uri: &str) -> Vec<serde_json::Value> {
    let (bucket, key) = s3_uri.trim_start_matches("s3://").split_once('/').unwrap();
    let archive = env.get(bucket, key).await;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(&archive[..]));
    let mut entries = tar.entries().unwrap();
    let mut entry = entries.next().expect("one member").unwrap();
    assert_eq!(entry.path().unwrap().to_str(), Some("output"));
    let mut text = String::new();
    entry.read_to_string(&mut text).unwrap();
    assert!(entries.next().is_none(), "only `output`");
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_job_agrees_with_the_endpoint() {
    let env = Env::start().await;
    let model = trained_recognizer(&env, "ner-job", "devices").await;
    let endpoint = recognizer_endpoint(&env, &model, "devices").await;
    let documents = [
        "😀 Café: I bought a Pixel 7 last week.",
        "Nothing here.",
        "",
        "My Galaxy S23 and my Echo Dot stopped working.",
    ];
    let mut input = documents.join("\n").into_bytes();
    input.extend_from_slice(b"\nbad \xff bytes\nnever read\n");
    env.put("ner-job", "in/docs.txt", input).await;
    let job_id = start_job(&env, &model, "s3://ner-job/in/", "agree").await;
    assert_eq!(job_id.len(), 32);
    assert!(
        job_id
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    let props = ended_job(&env, &job_id).await;
    assert_eq!(props.job_status(), Some(&JobStatus::Completed), "{props:?}");
    assert_eq!(
        props.job_arn(),
        Some(
            env.arn(&format!("entities-detection-job/{job_id}"))
                .as_str()
        )
    );
    let out = props.output_data_config().unwrap().s3_uri();
    assert_eq!(
        out,
        format!("s3://ner-job/out/000000000000-NER-{job_id}/output/output.tar.gz")
    );
    let lines = output_lines(&env, out).await;
    assert_eq!(lines.len(), 4, "{lines:?}");
    for (i, doc) in [(0usize, documents[0]), (1, documents[1]), (3, documents[3])] {
        let line = lines.iter().find(|l| l["Line"] == i).unwrap();
        assert_eq!(line["File"], "docs.txt");
        let from_endpoint = detect(&env, &endpoint, doc).await;
        let from_job: Vec<(i32, i32, String, String)> = line["Entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["BeginOffset"].as_i64().unwrap() as i32,
                    e["EndOffset"].as_i64().unwrap() as i32,
                    e["Text"].as_str().unwrap().to_owned(),
                    e["Type"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(from_job, from_endpoint, "document {i}");
    }
    assert_eq!(lines[1]["Entities"], serde_json::json!([]));
    assert_eq!(lines[3]["Line"], 4);
    assert_eq!(lines[3]["ErrorCode"], "UNSUPPORTED_ENCODING");

    finished_job_refuses_stop_and_lists_by_one_filter(&env, &job_id).await;
}

/// A COMPLETED job cannot be stopped; the job list takes one filter member at a time.
async fn finished_job_refuses_stop_and_lists_by_one_filter(env: &Env, job_id: &str) {
    let err = env
        .comprehend
        .stop_entities_detection_job()
        .job_id(job_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidRequestException");
    let listed = env
        .comprehend
        .list_entities_detection_jobs()
        .filter(
            EntitiesDetectionJobFilter::builder()
                .job_name("agree")
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(listed.entities_detection_job_properties_list().len(), 1);
    let err = env
        .comprehend
        .list_entities_detection_jobs()
        .filter(
            EntitiesDetectionJobFilter::builder()
                .job_name("agree")
                .job_status(JobStatus::Completed)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidFilterException");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_stopped_before_it_runs_ends_stopped_and_holds_its_recognizer_until_then() {
    let env = Env::start_with(|c| c.workers = Some(0)).await;
    let model = {
        // Training needs a worker: drain the queue until the recognizer settles.
        let (documents, list) = corpus();
        env.s3
            .create_bucket()
            .bucket("ner-job")
            .send()
            .await
            .unwrap();
        env.put("ner-job", "train/documents.txt", documents).await;
        env.put("ner-job", "train/entities.csv", list).await;
        let arn = start_training(&env).await;
        env.drain().await;
        arn
    };
    let lines: String = (0..5_000)
        .map(|i| format!("Line {i}: my Pixel 7 is fine.\n"))
        .collect();
    env.put("ner-job", "in/many.txt", lines).await;
    let job_id = start_job(&env, &model, "s3://ner-job/in/many.txt", "stopped").await;
    // A version a job has not finished with cannot be deleted.
    let in_use = env
        .comprehend
        .delete_entity_recognizer()
        .entity_recognizer_arn(&model)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&in_use), "ResourceInUseException");
    let stopped = env
        .comprehend
        .stop_entities_detection_job()
        .job_id(&job_id)
        .send()
        .await
        .unwrap();
    assert_eq!(stopped.job_status(), Some(&JobStatus::StopRequested));
    env.drain().await;
    let props = ended_job(&env, &job_id).await;
    assert_eq!(props.job_status(), Some(&JobStatus::Stopped));
    let again = env
        .comprehend
        .stop_entities_detection_job()
        .job_id(&job_id)
        .send()
        .await
        .unwrap();
    assert_eq!(again.job_status(), Some(&JobStatus::Stopped));
    // Once the job has ended, the version can go.
    env.comprehend
        .delete_entity_recognizer()
        .entity_recognizer_arn(&model)
        .send()
        .await
        .expect("delete once the job ended");
}

async fn start_training(env: &Env) -> String {
    env.comprehend
        .create_entity_recognizer()
        .recognizer_name("devices")
        .language_code(LanguageCode::En)
        .data_access_role_arn(ROLE)
        .input_data_config(
            EntityRecognizerInputDataConfig::builder()
                .entity_types(
                    EntityTypesListItem::builder()
                        .r#type(DEVICE)
                        .build()
                        .unwrap(),
                )
                .documents(
                    EntityRecognizerDocuments::builder()
                        .s3_uri("s3://ner-job/train/documents.txt")
                        .build()
                        .unwrap(),
                )
                .entity_list(
                    EntityRecognizerEntityList::builder()
                        .s3_uri("s3://ner-job/train/entities.csv")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("CreateEntityRecognizer")
        .entity_recognizer_arn()
        .unwrap()
        .to_owned()
}

/// The AWS CLI, unchanged: the entities-detection-job commands and their errors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_entities_job_commands() {
    use std::process::Command;
    let env = Env::start().await;
    let aws = |args: &[&str]| {
        Command::new(crate::harness::tool("aws"))
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
            .env_remove("AWS_PROFILE")
            .output()
            .expect("aws runs")
    };
    let listed = aws(&["comprehend", "list-entities-detection-jobs"]);
    assert!(listed.status.success(), "{listed:?}");
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(
        listed,
        serde_json::json!({"EntitiesDetectionJobPropertiesList": []})
    );
    let missing = aws(&[
        "comprehend",
        "describe-entities-detection-job",
        "--job-id",
        "0123456789abcdef0123456789abcdef",
    ]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("JobNotFoundException"));
    let built_in = aws(&[
        "comprehend",
        "start-entities-detection-job",
        "--input-data-config",
        "S3Uri=s3://bkt/in/",
        "--output-data-config",
        "S3Uri=s3://bkt/out/",
        "--data-access-role-arn",
        ROLE,
        "--language-code",
        "en",
    ]);
    let stderr = String::from_utf8_lossy(&built_in.stderr);
    assert!(
        stderr.contains("InvalidRequestException") && stderr.contains("built-in"),
        "{stderr}"
    );
}

/// kill -9 while a job runs: after the restart the job is resumed from its first document
/// and completes (or ends FAILED with a message) — never stuck IN_PROGRESS.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_a_job_then_restart_ends_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = crate::harness::Process::start(dir.path());
    let (comprehend, s3) = (server.comprehend(), server.s3());
    let model = train_with(&comprehend, &s3, "ner-kill", "devices").await;
    let lines: String = (0..100_000)
        .map(|i| format!("Item {i}: my Galaxy S23 works.\n"))
        .collect();
    put(&s3, "ner-kill", "in/big.txt", lines).await;
    let job_id = comprehend
        .start_entities_detection_job()
        .entity_recognizer_arn(&model)
        .input_data_config(
            InputDataConfig::builder()
                .s3_uri("s3://ner-kill/in/")
                .build()
                .unwrap(),
        )
        .output_data_config(
            OutputDataConfig::builder()
                .s3_uri("s3://ner-kill/out/")
                .build()
                .unwrap(),
        )
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap()
        .job_id()
        .unwrap()
        .to_owned();
    server.kill();
    let server = crate::harness::Process::start(dir.path());
    let comprehend = server.comprehend();
    let status = wait_for(&format!("job {job_id} after a restart"), 300, || async {
        let p = comprehend
            .describe_entities_detection_job()
            .job_id(&job_id)
            .send()
            .await
            .ok()?
            .entities_detection_job_properties?;
        match p.job_status()? {
            JobStatus::Completed => Some((JobStatus::Completed, None)),
            JobStatus::Failed => Some((JobStatus::Failed, p.message().map(str::to_owned))),
            _ => None,
        }
    })
    .await;
    match status {
        (JobStatus::Completed, _) => {}
        (_, message) => assert!(
            message.is_some_and(|m| !m.is_empty()),
            "a failed job says why"
        ),
    }
}

/// A stop while the job runs: the job ends STOPPED and keeps what it wrote — the input's
/// first lines, in order, each with its result — and no more than the input holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_stopped_while_it_runs_keeps_what_it_wrote() {
    const LINES: u64 = 200_000;
    let env = Env::start().await;
    let model = trained_recognizer(&env, "ner-job", "devices").await;
    let lines: String = (0..LINES)
        .map(|i| format!("Line {i}: my Pixel 7 is fine.\n"))
        .collect();
    env.put("ner-job", "in/many.txt", lines).await;
    let job_id = start_job(&env, &model, "s3://ner-job/in/many.txt", "mid-run").await;
    wait_for("the job to run", 120, || async {
        let p = env
            .comprehend
            .describe_entities_detection_job()
            .job_id(&job_id)
            .send()
            .await
            .ok()?
            .entities_detection_job_properties?;
        (p.job_status() == Some(&JobStatus::InProgress)).then_some(())
    })
    .await;
    let stopped = env
        .comprehend
        .stop_entities_detection_job()
        .job_id(&job_id)
        .send()
        .await
        .expect("StopEntitiesDetectionJob while IN_PROGRESS");
    assert_eq!(stopped.job_status(), Some(&JobStatus::StopRequested));
    let props = ended_job(&env, &job_id).await;
    assert_eq!(props.job_status(), Some(&JobStatus::Stopped), "{props:?}");
    let out = output_lines(&env, props.output_data_config().unwrap().s3_uri()).await;
    assert!(
        !out.is_empty() && (out.len() as u64) < LINES,
        "kept {} of {LINES} lines",
        out.len()
    );
    for (i, line) in out.iter().enumerate() {
        assert_eq!(line["Line"], i, "lines in input order");
        assert_eq!(line["File"], "many.txt");
        assert_eq!(line["Entities"][0]["Text"], "Pixel 7", "line {i}");
    }
}
