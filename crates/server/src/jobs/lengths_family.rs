//! A trivial family of analysis jobs, added as ARCHITECTURE.md's recipe "adding an
//! analysis family" says, to show that the job side of a family is this one module: it
//! writes each document's length in characters. Test-only.

use std::io::Write;

use comprehend_store::document_jobs::DocumentJobRecord;

use super::analysis::{Analysis, Batch, Source};
use super::documents::{Document, Reading};
use crate::state::State;

/// Each document's length.
struct Lengths;

impl Analysis for Lengths {
    const FAMILY: &'static str = "LEN";
    const MEMBER: &'static str = "lengths.jsonl";
    const READING: Reading = Reading {
        line_bytes: 64,
        file_bytes: 64,
        lossy: false,
    };
    const BATCH: usize = 2;

    async fn prepare(_: &State, _: &DocumentJobRecord) -> Result<Self, String> {
        Ok(Lengths)
    }

    fn analyse(&self, source: &Source, documents: Batch, out: &mut Vec<u8>) -> Result<(), String> {
        for (line, document) in documents {
            let length = match document {
                Document::Text(text) => serde_json::json!(text.chars().count()),
                Document::TooLarge | Document::NotUtf8 => serde_json::Value::Null,
            };
            let record = serde_json::json!({"File": source.file, "Line": line, "Length": length});
            writeln!(out, "{record}").map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use comprehend_protocol::JobStatus;
    use comprehend_store::objects::S3Uri;
    use comprehend_store::{Creation, JobKind};

    use super::*;
    use crate::app::Server;
    use crate::config::Config;
    use crate::jobs::document_jobs::run_family;

    fn job(arn: &str) -> DocumentJobRecord {
        DocumentJobRecord {
            seq: 0,
            family: Lengths::FAMILY.into(),
            job_id: "0123456789abcdef0123456789abcdef".into(),
            arn: arn.into(),
            account: "000000000000".into(),
            region: "us-east-1".into(),
            job_name: None,
            status: JobStatus::Submitted,
            message: None,
            submit_time: 1,
            end_time: None,
            model_arn: None,
            flywheel_arn: None,
            request: serde_json::json!({"InputDataConfig": {"S3Uri": "s3://lengths/in/"}}),
            output_s3_uri: "s3://lengths/out/output.tar.gz".into(),
        }
    }

    /// The family runs through the one job layer: a prefix streamed line by line in
    /// batches, blank lines counted but skipped, a line too long reported, a line that is
    /// not UTF-8 ending its object, the archive under the family's member name.
    #[tokio::test]
    async fn a_family_is_one_module() {
        let dir = std::env::temp_dir().join(format!("cl-lengths-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut config = Config::for_tests(dir.clone(), "127.0.0.1:0".parse().unwrap());
        config.workers = Some(0);
        let server = Server::start(config).await.unwrap();
        let state = server.api().state().clone();
        let http = reqwest::Client::new();
        let bucket = format!("http://{}/lengths", server.addr);
        http.put(&bucket)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap();
        let mut body = format!("one\ncafé au lait\n\n{}\nlast\n", "x".repeat(65)).into_bytes();
        body.extend_from_slice(b"\xffbad\nignored\n");
        let input = S3Uri::parse("s3://lengths/in/a.txt").unwrap();
        state.objects.put(&input, body.into()).await.unwrap();
        let arn = "arn:aws:comprehend:us-east-1:000000000000:lengths-job/1";
        let creation = Creation {
            job: Some(JobKind::AnalyzeDocuments),
            ..Creation::default()
        };
        state
            .store
            .insert_document_job(&job(arn), &creation)
            .await
            .unwrap();
        let claimed = state.store.claim_job(2).await.unwrap().unwrap();
        let record = state.store.document_job_by_arn(arn).await.unwrap().unwrap();
        run_family::<Lengths>(&state, &claimed, record)
            .await
            .unwrap();
        let done = state.store.document_job_by_arn(arn).await.unwrap().unwrap();
        assert_eq!(done.status, JobStatus::Completed);
        let output = S3Uri::parse(&done.output_s3_uri).unwrap();
        let archive = state.objects.get(&output).await.unwrap();
        let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(&archive[..]));
        let mut member = tar.entries().unwrap().next().unwrap().unwrap();
        assert_eq!(member.path().unwrap().to_str(), Some("lengths.jsonl"));
        let mut text = String::new();
        member.read_to_string(&mut text).unwrap();
        let lengths: Vec<(u64, serde_json::Value)> = text
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .map(|v| (v["Line"].as_u64().unwrap(), v["Length"].clone()))
            .collect();
        let null = serde_json::Value::Null;
        let expected = [
            (0, 3.into()),
            (1, 12.into()),
            (3, null.clone()),
            (4, 4.into()),
            (5, null),
        ];
        assert_eq!(lengths, expected);
        server.shutdown().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
