//! All s3:// data in an external S3-compatible server (moto_server stands in for MinIO,
//! LocalStack or AWS), with the built-in S3 switched off.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};

use aws_sdk_comprehend::types::{
    DocumentClassifierInputDataConfig, DocumentClassifierOutputDataConfig, FlywheelStatus,
    LanguageCode, ModelStatus,
};
use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::primitives::ByteStream;
use comprehend_store::objects::{Backend, Objects};

use crate::harness::{Env, ROLE, finished_classifier, fixture_path, settled_flywheel, tool};

/// moto's S3, on an ephemeral port it reports itself.
struct Moto {
    child: Child,
    url: String,
}

impl Moto {
    fn start() -> Moto {
        let mut child = Command::new(tool("moto_server"))
            .args(["-H", "127.0.0.1", "-p", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("moto_server starts");
        let stderr = child.stderr.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        for stream in [
            Box::new(stderr) as Box<dyn std::io::Read + Send>,
            Box::new(stdout),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(stream)
                    .lines()
                    .map_while(Result::ok)
                {
                    if let Some(url) = line.split("Running on ").nth(1) {
                        let _ = tx.send(url.trim().to_owned());
                    }
                }
            });
        }
        let url = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("moto_server reports its address");
        Moto { child, url }
    }

    fn s3(&self) -> aws_sdk_s3::Client {
        let config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(&self.url)
            .force_path_style(true)
            .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
            .build();
        aws_sdk_s3::Client::from_conf(config)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn external(moto: &Moto) -> Backend {
    Backend::S3 {
        endpoint: Some(moto.url.clone()),
        region: "us-east-1".into(),
        access_key_id: Some("test".into()),
        secret_access_key: Some("test".into()),
        path_style: true,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_object_store_contract_holds_on_an_external_s3() {
    let moto = Moto::start();
    moto.s3()
        .create_bucket()
        .bucket("contract")
        .send()
        .await
        .unwrap();
    let objects = Objects::new(external(&moto));
    comprehend_store::contract::check(&objects, "contract").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn training_output_and_the_lake_live_in_the_external_s3() {
    let moto = Moto::start();
    let s3 = moto.s3();
    s3.create_bucket().bucket("ext-data").send().await.unwrap();
    let body = std::fs::read(fixture_path("wordnet-small/partial.csv")).unwrap();
    s3.put_object()
        .bucket("ext-data")
        .key("train/partial.csv")
        .body(ByteStream::from(body))
        .send()
        .await
        .unwrap();
    let env = Env::start_with(|c| {
        c.s3_endpoint = Some(moto.url.clone());
        c.s3_access_key_id = Some("test".into());
        c.s3_secret_access_key = Some("test".into());
        c.builtin_s3 = false;
    })
    .await;
    // The built-in S3 is off.
    let response = reqwest::get(format!("{}/ext-data", env.url)).await.unwrap();
    assert_eq!(response.status().as_u16(), 404);

    let arn = train_with_output_in(&env, &s3).await;
    assert_flywheel_lake_in(&env, &s3, &arn).await;
}

/// Trains a classifier on `s3://ext-data/train/`; its output archive lands in the external
/// S3. Returns its ARN.
async fn train_with_output_in(env: &Env, s3: &aws_sdk_s3::Client) -> String {
    let arn = env
        .comprehend
        .create_document_classifier()
        .document_classifier_name("external")
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .input_data_config(
            DocumentClassifierInputDataConfig::builder()
                .s3_uri("s3://ext-data/train/")
                .build(),
        )
        .output_data_config(
            DocumentClassifierOutputDataConfig::builder()
                .s3_uri("s3://ext-data/output/")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .document_classifier_arn
        .unwrap();
    let props = finished_classifier(&env.comprehend, &arn).await;
    assert_eq!(
        props.status(),
        Some(&ModelStatus::Trained),
        "{:?}",
        props.message()
    );
    let output = props.output_data_config().unwrap().s3_uri().unwrap();
    let key = output.strip_prefix("s3://ext-data/").unwrap();
    let archive = s3
        .get_object()
        .bucket("ext-data")
        .key(key)
        .send()
        .await
        .unwrap();
    assert!(archive.content_length().unwrap() > 100);
    arn
}

/// A flywheel on the classifier `arn` becomes active with its data lake in the external S3.
async fn assert_flywheel_lake_in(env: &Env, s3: &aws_sdk_s3::Client, arn: &str) {
    let flywheel = env
        .comprehend
        .create_flywheel()
        .flywheel_name("external")
        .active_model_arn(arn)
        .data_access_role_arn(ROLE)
        .data_lake_s3_uri("s3://ext-data/lake")
        .send()
        .await
        .unwrap()
        .flywheel_arn
        .unwrap();
    let fw = settled_flywheel(&env.comprehend, &flywheel).await;
    assert_eq!(
        fw.status(),
        Some(&FlywheelStatus::Active),
        "{:?}",
        fw.message()
    );
    let lake = s3
        .list_objects_v2()
        .bucket("ext-data")
        .prefix("lake/external/")
        .send()
        .await
        .unwrap();
    assert!(
        lake.contents()
            .iter()
            .any(|o| o.key().unwrap().ends_with("/documents.csv"))
    );
}
