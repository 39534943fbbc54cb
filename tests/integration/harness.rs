//! Starting real servers for the tests and talking to them with real clients.
//!
//! Most tests run the server in-process on port 0 with a fresh data directory and drive
//! it with aws-sdk-comprehend and aws-sdk-s3 (retries off, dummy credentials). Tests of
//! crashes run the `comprehend-local` binary as a child process and kill it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_comprehend::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::primitives::ByteStream;
use comprehend_local::{Config, Server};

/// A server with its own data directory and clients.
pub struct Env {
    /// The running server (None for a child process).
    pub server: Option<Server>,
    /// The runtime the in-process server runs on (held until the end of the test).
    _runtime: ServerRuntime,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// Comprehend client.
    pub comprehend: aws_sdk_comprehend::Client,
    /// S3 client.
    pub s3: aws_sdk_s3::Client,
    /// Kept alive for the data directory.
    pub dir: tempfile::TempDir,
    /// The protocol the Comprehend clients speak.
    pub wire: Wire,
}

/// The wire protocol of a test's Comprehend clients: the service model lists both, and
/// aws-sdk-comprehend picks one at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// AWS JSON 1.1, the SDK's default (and what boto3 and the CLI send).
    Json,
    /// Smithy RPC v2 CBOR.
    Cbor,
}

/// A runtime of the server's own, so that a test blocking its thread (running the AWS CLI
/// or Python with `std::process::Command`) never stalls the server: a task that tokio put
/// in the LIFO slot of a worker that then blocks is not stolen by the other workers, and
/// that connection would get no answer until the child process gives up.
pub struct ServerRuntime(Option<tokio::runtime::Runtime>);

impl ServerRuntime {
    fn new() -> ServerRuntime {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("server")
            .enable_all()
            .build()
            .expect("server runtime");
        ServerRuntime(Some(runtime))
    }

    /// Runs `future` on the server's runtime.
    pub fn spawn<F>(&self, future: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.0.as_ref().expect("in-process server").spawn(future)
    }
}

impl Drop for ServerRuntime {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which an async test's thread may not do.
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// The IAM role every request passes (any well-formed role is accepted).
pub const ROLE: &str = "arn:aws:iam::111122223333:role/ComprehendAccess";

/// The account of the dummy credentials ("AKIDTEST" is not 12 digits → default account).
pub const ACCOUNT: &str = "000000000000";

impl Env {
    /// A fresh server in this process.
    pub async fn start() -> Env {
        Env::start_with(|_| {}).await
    }

    /// A fresh server with a changed configuration.
    pub async fn start_with(change: impl FnOnce(&mut Config)) -> Env {
        Env::start_over(Wire::Json, change).await
    }

    /// A fresh server with a changed configuration, whose Comprehend clients speak `wire`.
    pub async fn start_over(wire: Wire, change: impl FnOnce(&mut Config)) -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config =
            Config::for_tests(dir.path().to_path_buf(), "127.0.0.1:0".parse().unwrap());
        config.workers = Some(2);
        change(&mut config);
        let runtime = ServerRuntime::new();
        let server = runtime
            .spawn(Server::start(config))
            .await
            .expect("server start task")
            .expect("server starts");
        let url = format!("http://{}", server.addr);
        Env {
            _runtime: runtime,
            comprehend: comprehend_client(&url, wire, "AKIDTEST", "us-east-1"),
            s3: s3_client(&url),
            url,
            server: Some(server),
            dir,
            wire,
        }
    }

    /// The binary as a child process on a fresh data directory, the clients pointing at
    /// it (for `kill -9` tests: [`Env::kill_and_restart`]).
    pub fn child_process() -> (Env, Process) {
        let dir = tempfile::tempdir().expect("temp dir");
        let process = Process::start(dir.path());
        let env = Env {
            server: None,
            _runtime: ServerRuntime(None),
            url: process.url.clone(),
            comprehend: process.comprehend(),
            s3: process.s3(),
            dir,
            wire: Wire::Json,
        };
        (env, process)
    }

    /// `kill -9` of the child process, then the binary again on the same data directory.
    pub fn kill_and_restart(&mut self, process: Process) -> Process {
        process.kill();
        let process = Process::start(self.dir.path());
        self.url = process.url.clone();
        self.comprehend = process.comprehend();
        self.s3 = process.s3();
        process
    }

    /// A client for another account (12-digit access key) or region.
    pub fn comprehend_as(&self, access_key: &str, region: &str) -> aws_sdk_comprehend::Client {
        comprehend_client(&self.url, self.wire, access_key, region)
    }

    /// Runs queued jobs until the queue is empty (for servers started with `workers = 0`).
    pub async fn drain(&self) {
        while self.run_one().await {}
    }

    /// Runs the oldest queued job; false when the queue is empty.
    pub async fn run_one(&self) -> bool {
        let state = self
            .server
            .as_ref()
            .expect("in-process server")
            .api()
            .state()
            .clone();
        comprehend_local::jobs::run_once(&state)
            .await
            .expect("job queue")
    }

    /// An ARN in the default account and region.
    pub fn arn(&self, resource: &str) -> String {
        format!("arn:aws:comprehend:us-east-1:{ACCOUNT}:{resource}")
    }

    /// Creates a bucket and uploads fixture files into it: (key, fixture path under tests/fixtures).
    pub async fn bucket_with(&self, bucket: &str, files: &[(&str, &str)]) {
        self.s3
            .create_bucket()
            .bucket(bucket)
            .send()
            .await
            .expect("create bucket");
        for (key, fixture) in files {
            let body = std::fs::read(fixture_path(fixture)).expect("fixture exists");
            self.put(bucket, key, body).await;
        }
    }

    /// Puts an object.
    pub async fn put(&self, bucket: &str, key: &str, body: impl Into<Vec<u8>>) {
        self.s3
            .put_object()
            .bucket(bucket)
            .key(key)
            .body(ByteStream::from(body.into()))
            .send()
            .await
            .expect("put object");
    }

    /// Gets an object's bytes.
    pub async fn get(&self, bucket: &str, key: &str) -> Vec<u8> {
        let out = self
            .s3
            .get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .expect("get object");
        out.body
            .collect()
            .await
            .expect("read body")
            .into_bytes()
            .to_vec()
    }
}

fn comprehend_client(
    url: &str,
    wire: Wire,
    access_key: &str,
    region: &str,
) -> aws_sdk_comprehend::Client {
    let mut config = aws_sdk_comprehend::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(url)
        .credentials_provider(Credentials::new(
            access_key,
            "test-secret",
            None,
            None,
            "tests",
        ))
        .retry_config(aws_sdk_comprehend::config::retry::RetryConfig::disabled());
    if wire == Wire::Cbor {
        config = config
            .protocol(aws_smithy_cbor::protocol::RpcV2CborProtocol::new())
            .interceptor(CborOnTheWire);
    }
    aws_sdk_comprehend::Client::from_conf(config.build())
}

/// Fails any exchange of a CBOR client that is not RPC v2 CBOR both ways, so a test over
/// `Wire::Cbor` cannot pass by falling back to JSON 1.1.
#[derive(Debug)]
struct CborOnTheWire;

impl aws_sdk_comprehend::config::Intercept for CborOnTheWire {
    fn name(&self) -> &'static str {
        "CborOnTheWire"
    }

    fn read_before_transmit(
        &self,
        context: &aws_sdk_comprehend::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
        _: &aws_sdk_comprehend::config::RuntimeComponents,
        _: &mut aws_sdk_comprehend::config::ConfigBag,
    ) -> Result<(), aws_sdk_comprehend::error::BoxError> {
        let request = context.request();
        let headers = request.headers();
        if headers.get("smithy-protocol") != Some("rpc-v2-cbor")
            || headers.get("x-amz-target").is_some()
            || !request
                .uri()
                .contains("/service/Comprehend_20171127/operation/")
        {
            return Err(format!("not an RPC v2 CBOR request: {}", request.uri()).into());
        }
        Ok(())
    }

    fn read_before_deserialization(
        &self,
        context: &aws_sdk_comprehend::config::interceptors::BeforeDeserializationInterceptorContextRef<'_>,
        _: &aws_sdk_comprehend::config::RuntimeComponents,
        _: &mut aws_sdk_comprehend::config::ConfigBag,
    ) -> Result<(), aws_sdk_comprehend::error::BoxError> {
        let headers = context.response().headers();
        match (headers.get("smithy-protocol"), headers.get("content-type")) {
            (Some("rpc-v2-cbor"), Some("application/cbor")) => Ok(()),
            other => Err(format!("not an RPC v2 CBOR response: {other:?}").into()),
        }
    }
}

fn s3_client(url: &str) -> aws_sdk_s3::Client {
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .force_path_style(true)
        .credentials_provider(aws_sdk_s3::config::Credentials::new(
            "AKIDTEST",
            "test-secret",
            None,
            None,
            "tests",
        ))
        .retry_config(aws_sdk_s3::config::retry::RetryConfig::disabled())
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

/// A fixture file under `tests/fixtures`.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

/// Polls `check` every 50 ms until it returns `Some`, or panics after `seconds`.
pub async fn wait_for<T, F, Fut>(what: &str, seconds: u64, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {seconds} s waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The `__type` of an SDK error (the modeled or generic error code).
pub fn code<E, R>(err: &aws_sdk_comprehend::error::SdkError<E, R>) -> String
where
    E: aws_sdk_comprehend::error::ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    err.as_service_error()
        .and_then(|e| e.code())
        .map(str::to_owned)
        .unwrap_or_else(|| format!("not a service error: {err:?}"))
}

/// The message of an SDK error.
pub fn message<E, R>(err: &aws_sdk_comprehend::error::SdkError<E, R>) -> String
where
    E: aws_sdk_comprehend::error::ProvideErrorMetadata,
{
    err.as_service_error()
        .and_then(|e| e.message())
        .unwrap_or_default()
        .to_owned()
}

/// The HTTP status of an SDK error's response.
pub fn status<E>(
    err: &aws_sdk_comprehend::error::SdkError<E, aws_sdk_comprehend::config::http::HttpResponse>,
) -> u16 {
    err.raw_response().map(|r| r.status().as_u16()).unwrap_or(0)
}

/// The `comprehend-local` binary running as a child process, for crash tests.
pub struct Process {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
}

impl Process {
    /// Starts the binary on `data_dir`, on an ephemeral port read back from its log.
    pub fn start(data_dir: &Path) -> Process {
        let mut child = Command::new(env!("CARGO_BIN_EXE_comprehend-local"))
            .args(["--bind", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .env("COMPREHEND_LOCAL_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("binary starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            let mut sent = false;
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if !sent
                    && line.contains("comprehend-local ready")
                    && let Some(addr) = line
                        .split("addr=")
                        .nth(1)
                        .and_then(|rest| rest.split_whitespace().next())
                {
                    let _ = tx.send(addr.to_owned());
                    sent = true;
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the server reports its address");
        Process {
            child,
            url: format!("http://{addr}"),
        }
    }

    /// A Comprehend client for it.
    pub fn comprehend(&self) -> aws_sdk_comprehend::Client {
        comprehend_client(&self.url, Wire::Json, "AKIDTEST", "us-east-1")
    }

    /// An S3 client for it.
    pub fn s3(&self) -> aws_sdk_s3::Client {
        s3_client(&self.url)
    }

    /// `kill -9`.
    pub fn kill(mut self) {
        self.child.kill().expect("kill");
        let _ = self.child.wait();
    }

    /// SIGTERM, then wait for a clean exit.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().expect("wait")
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The path of an external command the tests need, or a panic saying how to get it.
pub fn tool(name: &str) -> PathBuf {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file());
    found.unwrap_or_else(|| {
        panic!("`{name}` is not on PATH: run the tests with tests/run.sh, which installs the AWS CLI, boto3 and moto into .venv")
    })
}

/// A classifier's properties once its status is no longer SUBMITTED or TRAINING.
pub async fn finished_classifier(
    client: &aws_sdk_comprehend::Client,
    arn: &str,
) -> aws_sdk_comprehend::types::DocumentClassifierProperties {
    use aws_sdk_comprehend::types::ModelStatus;
    wait_for(&format!("{arn} to finish training"), 120, || async {
        let props = client
            .describe_document_classifier()
            .document_classifier_arn(arn)
            .send()
            .await
            .ok()?
            .document_classifier_properties?;
        match props.status() {
            Some(ModelStatus::Submitted | ModelStatus::Training | ModelStatus::StopRequested) => {
                None
            }
            _ => Some(props),
        }
    })
    .await
}

/// Starts training a MULTI_CLASS classifier on CSV data at `s3_uri`.
pub async fn create_classifier(
    env: &Env,
    name: &str,
    version: Option<&str>,
    s3_uri: &str,
) -> String {
    use aws_sdk_comprehend::types::{DocumentClassifierInputDataConfig, LanguageCode};
    env.comprehend
        .create_document_classifier()
        .document_classifier_name(name)
        .set_version_name(version.map(str::to_owned))
        .data_access_role_arn(ROLE)
        .language_code(LanguageCode::En)
        .input_data_config(
            DocumentClassifierInputDataConfig::builder()
                .s3_uri(s3_uri)
                .build(),
        )
        .send()
        .await
        .expect("create classifier")
        .document_classifier_arn
        .expect("arn")
}

/// Waits until a flywheel is no longer CREATING.
pub async fn settled_flywheel(
    client: &aws_sdk_comprehend::Client,
    arn: &str,
) -> aws_sdk_comprehend::types::FlywheelProperties {
    wait_for(&format!("{arn} to be created"), 60, || async {
        let p = client
            .describe_flywheel()
            .flywheel_arn(arn)
            .send()
            .await
            .ok()?
            .flywheel_properties?;
        (p.status() != Some(&aws_sdk_comprehend::types::FlywheelStatus::Creating)).then_some(p)
    })
    .await
}

/// Waits until a dataset is no longer CREATING.
pub async fn settled_dataset(
    client: &aws_sdk_comprehend::Client,
    arn: &str,
) -> aws_sdk_comprehend::types::DatasetProperties {
    wait_for(&format!("{arn} to be ingested"), 60, || async {
        let p = client
            .describe_dataset()
            .dataset_arn(arn)
            .send()
            .await
            .ok()?
            .dataset_properties?;
        (p.status() != Some(&aws_sdk_comprehend::types::DatasetStatus::Creating)).then_some(p)
    })
    .await
}

/// Waits until an iteration has finished.
pub async fn finished_iteration(
    client: &aws_sdk_comprehend::Client,
    flywheel: &str,
    id: &str,
) -> aws_sdk_comprehend::types::FlywheelIterationProperties {
    use aws_sdk_comprehend::types::FlywheelIterationStatus as S;
    wait_for(&format!("iteration {id}"), 180, || async {
        let p = client
            .describe_flywheel_iteration()
            .flywheel_arn(flywheel)
            .flywheel_iteration_id(id)
            .send()
            .await
            .ok()?
            .flywheel_iteration_properties?;
        matches!(p.status(), Some(S::Completed | S::Failed | S::Stopped)).then_some(p)
    })
    .await
}

/// An endpoint of one inference unit on `model`, waited for until it is in service.
/// Returns its ARN.
pub async fn served_endpoint(env: &Env, model: &str, name: &str) -> String {
    let endpoint = env
        .comprehend
        .create_endpoint()
        .endpoint_name(name)
        .model_arn(model)
        .desired_inference_units(1)
        .send()
        .await
        .expect("create endpoint")
        .endpoint_arn
        .expect("endpoint arn");
    endpoint_ready(&env.comprehend, &endpoint).await;
    endpoint
}

/// Waits until an endpoint is IN_SERVICE (or FAILED).
pub async fn endpoint_ready(
    client: &aws_sdk_comprehend::Client,
    arn: &str,
) -> aws_sdk_comprehend::types::EndpointProperties {
    use aws_sdk_comprehend::types::EndpointStatus as S;
    wait_for(&format!("{arn} in service"), 60, || async {
        let p = client
            .describe_endpoint()
            .endpoint_arn(arn)
            .send()
            .await
            .ok()?
            .endpoint_properties?;
        matches!(p.status(), Some(S::InService | S::Failed)).then_some(p)
    })
    .await
}

/// CreateDataset from a CSV at `s3_uri`.
pub async fn create_dataset(
    env: &Env,
    flywheel: &str,
    name: &str,
    kind: aws_sdk_comprehend::types::DatasetType,
    s3_uri: &str,
) -> String {
    use aws_sdk_comprehend::types::{
        DatasetDocumentClassifierInputDataConfig, DatasetInputDataConfig,
    };
    env.comprehend
        .create_dataset()
        .flywheel_arn(flywheel)
        .dataset_name(name)
        .dataset_type(kind)
        .input_data_config(
            DatasetInputDataConfig::builder()
                .document_classifier_input_data_config(
                    DatasetDocumentClassifierInputDataConfig::builder()
                        .s3_uri(s3_uri)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .expect("create dataset")
        .dataset_arn
        .expect("arn")
}

/// A trained classifier on the small WordNet sample, in a bucket `bucket` that also holds
/// `more.csv` and `test.csv`.
pub async fn trained_wordnet(env: &Env, bucket: &str, name: &str) -> String {
    env.bucket_with(
        bucket,
        &[
            ("partial.csv", "wordnet-small/partial.csv"),
            ("more.csv", "wordnet-small/more.csv"),
            ("test.csv", "wordnet-small/test.csv"),
        ],
    )
    .await;
    let arn = create_classifier(env, name, Some("v1"), &format!("s3://{bucket}/partial.csv")).await;
    let props = finished_classifier(&env.comprehend, &arn).await;
    assert_eq!(
        props.status(),
        Some(&aws_sdk_comprehend::types::ModelStatus::Trained)
    );
    arn
}

/// Waits until a classifier version is TRAINING (to act on it mid-training).
pub async fn training_started(client: &aws_sdk_comprehend::Client, arn: &str) {
    use aws_sdk_comprehend::types::ModelStatus;
    wait_for(&format!("{arn} to start training"), 60, || async {
        let p = client
            .describe_document_classifier()
            .document_classifier_arn(arn)
            .send()
            .await
            .ok()?
            .document_classifier_properties?;
        (p.status() == Some(&ModelStatus::Training)).then_some(())
    })
    .await
}

/// Waits until an async classification job has COMPLETED or FAILED.
pub async fn finished_job(
    client: &aws_sdk_comprehend::Client,
    job_id: &str,
) -> aws_sdk_comprehend::types::DocumentClassificationJobProperties {
    use aws_sdk_comprehend::types::JobStatus;
    wait_for(&format!("job {job_id}"), 60, || async {
        let p = client
            .describe_document_classification_job()
            .job_id(job_id)
            .send()
            .await
            .ok()?
            .document_classification_job_properties?;
        matches!(
            p.job_status(),
            Some(JobStatus::Completed | JobStatus::Failed)
        )
        .then_some(p)
    })
    .await
}

/// Starts a flywheel iteration and returns its id.
pub async fn start_iteration(client: &aws_sdk_comprehend::Client, flywheel: &str) -> String {
    client
        .start_flywheel_iteration()
        .flywheel_arn(flywheel)
        .send()
        .await
        .expect("start iteration")
        .flywheel_iteration_id
        .expect("id")
}

/// Creates a new-model DOCUMENT_CLASSIFIER flywheel with a data lake under `lake` and waits until it is created.
pub async fn new_model_flywheel(
    env: &Env,
    name: &str,
    classification: aws_sdk_comprehend::types::DocumentClassificationConfig,
    lake: &str,
) -> String {
    let arn = create_new_model_flywheel(env, name, classification, lake).await;
    settled_flywheel(&env.comprehend, &arn).await;
    arn
}

/// CreateFlywheel for a new DOCUMENT_CLASSIFIER model, without waiting (for servers whose
/// queue the test drives).
pub async fn create_new_model_flywheel(
    env: &Env,
    name: &str,
    classification: aws_sdk_comprehend::types::DocumentClassificationConfig,
    lake: &str,
) -> String {
    use aws_sdk_comprehend::types::{LanguageCode, ModelType, TaskConfig};
    env.comprehend
        .create_flywheel()
        .flywheel_name(name)
        .model_type(ModelType::DocumentClassifier)
        .task_config(
            TaskConfig::builder()
                .language_code(LanguageCode::En)
                .document_classification_config(classification)
                .build()
                .unwrap(),
        )
        .data_access_role_arn(ROLE)
        .data_lake_s3_uri(lake)
        .send()
        .await
        .expect("create flywheel")
        .flywheel_arn
        .expect("arn")
}

/// [`trained_wordnet`] on a server whose queue is paused (`workers = 0`): the test
/// drives the training with [`Env::drain`].
pub async fn trained_wordnet_paused(env: &Env, bucket: &str, name: &str) -> String {
    env.bucket_with(bucket, &[("partial.csv", "wordnet-small/partial.csv")])
        .await;
    let arn = create_classifier(env, name, Some("v1"), &format!("s3://{bucket}/partial.csv")).await;
    env.drain().await;
    arn
}

/// Asserts a dataset ended COMPLETED, showing its message otherwise.
pub fn assert_dataset_completed(d: &aws_sdk_comprehend::types::DatasetProperties) {
    use aws_sdk_comprehend::types::DatasetStatus;
    assert_eq!(
        d.status(),
        Some(&DatasetStatus::Completed),
        "{:?}",
        d.message()
    );
}

/// Asserts an iteration ended COMPLETED, showing its message otherwise.
pub fn assert_iteration_completed(it: &aws_sdk_comprehend::types::FlywheelIterationProperties) {
    use aws_sdk_comprehend::types::FlywheelIterationStatus;
    let status = it.status();
    assert_eq!(
        status,
        Some(&FlywheelIterationStatus::Completed),
        "{:?}",
        it.message()
    );
}

/// Runs the scenario `async fn $name(wire: Wire)` as two tests, `$name::json` over AWS JSON
/// 1.1 and `$name::cbor` over Smithy RPC v2 CBOR, so one scenario checks both protocols
/// with the same real client.
macro_rules! over_both_wires {
    ($name:ident) => {
        mod $name {
            use crate::harness::Wire;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn json() {
                super::$name(Wire::Json).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn cbor() {
                super::$name(Wire::Cbor).await;
            }
        }
    };
}
pub(crate) use over_both_wires;
