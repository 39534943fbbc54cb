//! The behaviour every family of asynchronous analysis job shares, run over each family:
//! a job streams every object under an input prefix and ends COMPLETED with its archive
//! where the service writes it (`<S3Uri><account>-<TYPE>-<JobId>/output/output.tar.gz`,
//! one record per document), is listed, and an unknown job id is JobNotFoundException;
//! a `kill -9` while a job runs loses nothing: after a restart it ends COMPLETED with a
//! record for every document.
//! A new family gets the suite by implementing [`Family`] and adding itself to
//! [`over_job_families!`]. (Stopping a job mid-run is a family's own: the service has
//! no StopDocumentClassificationJob; `entity_jobs.rs` tests StopEntitiesDetectionJob.)

use std::io::Read;

use aws_sdk_comprehend::types::{InputDataConfig, InputFormat, LanguageCode, OutputDataConfig};

use crate::entity_inference::trained_recognizer;
use crate::harness::{ACCOUNT, Env, ROLE, code, trained_wordnet, wait_for};

/// One family of asynchronous job, through its own operations.
trait Family {
    /// The family's folder code in the output location (`CLN`, `NER`).
    const TYPE: &'static str;
    /// A model the family's jobs can use, trained on data in `bucket`.
    async fn model(env: &Env, bucket: &str) -> String;
    /// StartX with one document per line; the job id.
    async fn start(env: &Env, model: &str, input: &str, output: &str) -> String;
    /// DescribeX: (status, output S3 URI), or the error code.
    async fn describe(env: &Env, id: &str) -> Result<(String, String), String>;
    /// The job ids ListX returns.
    async fn listed(env: &Env) -> Vec<String>;
}

struct Classification;
struct Entities;

fn io(input: &str, output: &str) -> (InputDataConfig, OutputDataConfig) {
    let input = InputDataConfig::builder()
        .s3_uri(input)
        .input_format(InputFormat::OneDocPerLine)
        .build()
        .unwrap();
    let output = OutputDataConfig::builder().s3_uri(output).build().unwrap();
    (input, output)
}

impl Family for Classification {
    const TYPE: &'static str = "CLN";

    async fn model(env: &Env, bucket: &str) -> String {
        trained_wordnet(env, bucket, "families").await
    }

    async fn start(env: &Env, model: &str, input: &str, output: &str) -> String {
        let (input, output) = io(input, output);
        let started = env.comprehend.start_document_classification_job();
        let started = started
            .document_classifier_arn(model)
            .data_access_role_arn(ROLE)
            .input_data_config(input)
            .output_data_config(output);
        started.send().await.unwrap().job_id.unwrap()
    }

    async fn describe(env: &Env, id: &str) -> Result<(String, String), String> {
        let described = env.comprehend.describe_document_classification_job();
        let out = described.job_id(id).send().await.map_err(|e| code(&e))?;
        let p = out.document_classification_job_properties.unwrap();
        let status = p.job_status().unwrap().as_str().to_owned();
        Ok((status, p.output_data_config().unwrap().s3_uri().to_owned()))
    }

    async fn listed(env: &Env) -> Vec<String> {
        let out = env.comprehend.list_document_classification_jobs();
        let out = out.send().await.unwrap();
        let jobs = out.document_classification_job_properties_list();
        jobs.iter()
            .filter_map(|j| j.job_id().map(str::to_owned))
            .collect()
    }
}

impl Family for Entities {
    const TYPE: &'static str = "NER";

    async fn model(env: &Env, bucket: &str) -> String {
        trained_recognizer(env, bucket, "families").await
    }

    async fn start(env: &Env, model: &str, input: &str, output: &str) -> String {
        let (input, output) = io(input, output);
        let started = env.comprehend.start_entities_detection_job();
        let started = started
            .entity_recognizer_arn(model)
            .language_code(LanguageCode::En)
            .data_access_role_arn(ROLE)
            .input_data_config(input)
            .output_data_config(output);
        started.send().await.unwrap().job_id.unwrap()
    }

    async fn describe(env: &Env, id: &str) -> Result<(String, String), String> {
        let described = env.comprehend.describe_entities_detection_job();
        let out = described.job_id(id).send().await.map_err(|e| code(&e))?;
        let p = out.entities_detection_job_properties.unwrap();
        let status = p.job_status().unwrap().as_str().to_owned();
        Ok((status, p.output_data_config().unwrap().s3_uri().to_owned()))
    }

    async fn listed(env: &Env) -> Vec<String> {
        let out = env.comprehend.list_entities_detection_jobs();
        let out = out.send().await.unwrap();
        let jobs = out.entities_detection_job_properties_list();
        jobs.iter()
            .filter_map(|j| j.job_id().map(str::to_owned))
            .collect()
    }
}

/// Runs a common test over every job family.
macro_rules! over_job_families {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn classification() {
                super::$name::<super::Classification>().await;
            }

            #[tokio::test]
            async fn entities() {
                super::$name::<super::Entities>().await;
            }
        }
    };
}

/// The JSON records of the one member of an output.tar.gz.
async fn records(env: &Env, uri: &str) -> Vec<serde_json::Value> {
    let (bucket, key) = uri.trim_start_matches("s3://").split_once('/').unwrap();
    let archive = env.get(bucket, key).await;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(&archive[..]));
    let mut member = tar.entries().unwrap().next().unwrap().unwrap();
    let mut text = String::new();
    member.read_to_string(&mut text).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A record's `Line`: a number in entities output, a string in classification output
/// (Amazon Comprehend Developer Guide, the output of each job type).
fn line(value: &serde_json::Value) -> u64 {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("Line {value}"))
}

over_job_families!(a_job_streams_a_prefix_and_writes_where_the_service_does);
async fn a_job_streams_a_prefix_and_writes_where_the_service_does<F: Family>() {
    let env = Env::start().await;
    let model = F::model(&env, "families").await;
    env.put(
        "families",
        "in/a.txt",
        "a first document\nand a second one\n",
    )
    .await;
    env.put("families", "in/b.txt", "a third document\n").await;
    let id = F::start(&env, &model, "s3://families/in/", "s3://families/out/").await;
    let (status, output) = wait_for(&format!("job {id}"), 120, || async {
        let described = F::describe(&env, &id).await.ok()?;
        (!["SUBMITTED", "IN_PROGRESS"].contains(&described.0.as_str())).then_some(described)
    })
    .await;
    assert_eq!(status, "COMPLETED");
    assert_eq!(
        output,
        format!(
            "s3://families/out/{ACCOUNT}-{}-{id}/output/output.tar.gz",
            F::TYPE
        )
    );
    let records = records(&env, &output).await;
    let mut seen: Vec<(String, u64)> = records
        .iter()
        .map(|r| (r["File"].as_str().unwrap().to_owned(), line(&r["Line"])))
        .collect();
    seen.sort();
    let expected = [("a.txt", 0), ("a.txt", 1), ("b.txt", 0)];
    assert_eq!(
        seen,
        expected.map(|(f, l)| (f.to_owned(), l)).to_vec(),
        "{records:?}"
    );
    assert_eq!(F::listed(&env).await, vec![id]);
    assert_eq!(
        F::describe(&env, "0123456789abcdef0123456789abcdef").await,
        Err("JobNotFoundException".to_owned())
    );
}

over_job_families!(kill_9_while_a_job_runs_loses_nothing);
async fn kill_9_while_a_job_runs_loses_nothing<F: Family>() {
    let (mut env, process) = Env::child_process();
    let model = F::model(&env, "families").await;
    const DOCUMENTS: usize = 200_000;
    let lines: String = (0..DOCUMENTS)
        .map(|i| format!("Document {i}: the Galaxy phone works.\n"))
        .collect();
    env.put("families", "in/big.txt", lines).await;
    let id = F::start(&env, &model, "s3://families/in/", "s3://families/out/").await;
    let running = wait_for(&format!("job {id} to start"), 60, || async {
        let (status, _) = F::describe(&env, &id).await.ok()?;
        (status != "SUBMITTED").then_some(status)
    })
    .await;
    assert_eq!(running, "IN_PROGRESS", "the kill lands while the job runs");
    let _process = env.kill_and_restart(process);
    let (status, output) = wait_for(&format!("job {id} after a restart"), 300, || async {
        let described = F::describe(&env, &id).await.ok()?;
        (!["SUBMITTED", "IN_PROGRESS"].contains(&described.0.as_str())).then_some(described)
    })
    .await;
    assert_eq!(status, "COMPLETED");
    let records = records(&env, &output).await;
    let mut seen: Vec<u64> = records.iter().map(|r| line(&r["Line"])).collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..DOCUMENTS as u64).collect::<Vec<_>>());
}
