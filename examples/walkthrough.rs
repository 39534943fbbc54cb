//! The Comprehend flywheel walkthrough with the AWS SDK for Rust, against comprehend-local.
//!
//! Start the server (`cargo run --release`), then: `cargo run --example walkthrough`.
//! The SDK finds the server through `AWS_ENDPOINT_URL` (default here:
//! http://127.0.0.1:4599); any credentials work. The Comprehend client speaks AWS JSON 1.1,
//! the SDK's default, or Smithy RPC v2 CBOR with `COMPREHEND_PROTOCOL=rpcv2cbor`: the
//! service model lists both protocols and aws-sdk-comprehend chooses at run time.

use std::io::Read;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_sdk_comprehend::error::ProvideErrorMetadata;
use aws_sdk_comprehend::operation::classify_document::ClassifyDocumentError;
use aws_sdk_comprehend::operation::describe_endpoint::DescribeEndpointError;
use aws_sdk_comprehend::types::{
    DatasetDocumentClassifierInputDataConfig, DatasetInputDataConfig, DatasetType,
    DocumentClassifierInputDataConfig, DocumentClassifierOutputDataConfig, InputDataConfig,
    InputFormat, LanguageCode, OutputDataConfig,
};
use aws_sdk_s3::primitives::ByteStream;
use aws_smithy_cbor::protocol::RpcV2CborProtocol;

type Error = Box<dyn std::error::Error + Send + Sync>;

const ROLE: &str = "arn:aws:iam::111122223333:role/ComprehendDataAccess";
const PENDING: &[&str] = &[
    "SUBMITTED",
    "TRAINING",
    "STOP_REQUESTED",
    "CREATING",
    "UPDATING",
    "EVALUATING",
    "IN_PROGRESS",
];

/// Polls until `status` returns a status that is not pending (Comprehend has no waiters).
async fn wait<F, Fut>(what: &str, mut status: F) -> Result<String, Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<String, Error>>,
{
    for _ in 0..600 {
        let now = status().await?;
        if !PENDING.contains(&now.as_str()) {
            println!("{what}: {now}");
            return Ok(now);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    Err(format!("{what} still pending after 10 minutes").into())
}

/// The clients and names every step uses.
struct Walkthrough {
    comprehend: aws_sdk_comprehend::Client,
    s3: aws_sdk_s3::Client,
    /// Prefix of every name, so that runs can share a server.
    prefix: String,
    /// The bucket with the training, test and inference data.
    bucket: String,
    /// The bucket of the flywheel's data lake.
    lake: String,
}

/// What a flywheel iteration measured and trained.
struct Iteration {
    /// F1 of the active version.
    before: f64,
    /// F1 of the version the iteration trained.
    after: f64,
    /// The version the iteration trained.
    new_model: String,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let walkthrough = Walkthrough::connect().await?;
    walkthrough.buckets_and_data().await?;
    let model = walkthrough.train_classifier().await?;
    let flywheel = walkthrough.create_flywheel(&model).await?;
    walkthrough.create_datasets(&flywheel).await?;
    let iteration = walkthrough.run_iteration(&flywheel).await?;
    walkthrough.promote(&flywheel, &iteration.new_model).await?;
    let endpoint_arn = walkthrough.use_the_model(&flywheel).await?;
    walkthrough.errors(&endpoint_arn).await?;
    walkthrough.clean_up(&flywheel, &endpoint_arn).await?;
    println!(
        "\nWalkthrough complete: F1 went from {} to {} with the flywheel's new data.",
        iteration.before, iteration.after
    );
    Ok(())
}

impl Walkthrough {
    /// Set-up before step 2: SDK clients for `AWS_ENDPOINT_URL` (dummy credentials and region
    /// unless set) and the names derived from `PREFIX`: the buckets are reused, and each
    /// run's classifier, flywheel, endpoint and job get names of their own (suffix `RUN`,
    /// by default the time), so the walkthrough runs any number of times on one server.
    /// `COMPREHEND_PROTOCOL` picks the Comprehend client's protocol.
    async fn connect() -> Result<Walkthrough, Error> {
        let endpoint =
            std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://127.0.0.1:4599".into());
        for (key, value) in [
            ("AWS_ACCESS_KEY_ID", "test"),
            ("AWS_SECRET_ACCESS_KEY", "test"),
            ("AWS_REGION", "us-east-1"),
        ] {
            if std::env::var_os(key).is_none() {
                // SAFETY: set before any thread reads the environment.
                unsafe { std::env::set_var(key, value) };
            }
        }
        let config = aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(&endpoint)
            .load()
            .await;
        let comprehend = aws_sdk_comprehend::config::Builder::from(&config);
        let comprehend = match std::env::var("COMPREHEND_PROTOCOL").as_deref() {
            Err(_) | Ok("json") => comprehend,
            Ok("rpcv2cbor") => comprehend.protocol(RpcV2CborProtocol::new()),
            Ok(other) => {
                return Err(format!("COMPREHEND_PROTOCOL {other}: use json or rpcv2cbor").into());
            }
        };
        let comprehend = aws_sdk_comprehend::Client::from_conf(comprehend.build());
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&config)
                .force_path_style(true)
                .build(),
        );
        let base = std::env::var("PREFIX").unwrap_or_else(|_| "walkthrough-rs".into());
        let (bucket, lake) = (format!("{base}-data"), format!("{base}-lake"));
        let run = std::env::var("RUN").unwrap_or_else(|_| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            now.map(|d| d.as_secs()).unwrap_or_default().to_string()
        });
        let prefix = format!("{base}-{run}");
        Ok(Walkthrough {
            comprehend,
            s3,
            prefix,
            bucket,
            lake,
        })
    }

    /// Step 2: creates the data and lake buckets (unless they exist) and uploads
    /// `examples/data` into the first.
    async fn buckets_and_data(&self) -> Result<(), Error> {
        let (s3, bucket) = (&self.s3, &self.bucket);
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/data");
        println!("== 2. Buckets and data");
        for b in [bucket, &self.lake] {
            if s3.head_bucket().bucket(b.as_str()).send().await.is_err() {
                s3.create_bucket().bucket(b.as_str()).send().await?;
            }
        }
        for (file, key) in [
            ("initial.csv", "initial/initial.csv"),
            ("new-data.csv", "new-data/new-data.csv"),
            ("test.csv", "test/test.csv"),
            ("inference.txt", "inference/documents.txt"),
        ] {
            s3.put_object()
                .bucket(bucket)
                .key(key)
                .body(ByteStream::from_path(data.join(file)).await?)
                .send()
                .await?;
            println!("uploaded s3://{bucket}/{key}");
        }
        Ok(())
    }

    /// Step 3: trains version v1 of a classifier on the initial data, waits for it and prints
    /// its ARN and evaluation metrics. Returns the ARN.
    async fn train_classifier(&self) -> Result<String, Error> {
        let (comprehend, bucket, prefix) = (&self.comprehend, &self.bucket, &self.prefix);
        println!("\n== 3. A classifier trained on the initial data");
        let model = comprehend
            .create_document_classifier()
            .document_classifier_name(format!("{prefix}-classifier"))
            .version_name("v1")
            .data_access_role_arn(ROLE)
            .language_code(LanguageCode::En)
            .input_data_config(
                DocumentClassifierInputDataConfig::builder()
                    .s3_uri(format!("s3://{bucket}/initial/"))
                    .build(),
            )
            .output_data_config(
                DocumentClassifierOutputDataConfig::builder()
                    .s3_uri(format!("s3://{bucket}/training-output/"))
                    .build(),
            )
            .send()
            .await?
            .document_classifier_arn
            .ok_or("no ARN")?;
        wait("classifier", || async {
            let out = comprehend
                .describe_document_classifier()
                .document_classifier_arn(&model)
                .send()
                .await?;
            Ok(out
                .document_classifier_properties
                .and_then(|p| p.status)
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default())
        })
        .await?;
        let props = comprehend
            .describe_document_classifier()
            .document_classifier_arn(&model)
            .send()
            .await?
            .document_classifier_properties;
        let metrics = props
            .and_then(|p| p.classifier_metadata)
            .and_then(|m| m.evaluation_metrics);
        println!("{model}\n{metrics:?}");
        Ok(model)
    }

    /// Step 4: creates a flywheel whose active model is `model`, with its data lake in the
    /// lake bucket, and waits until it is active. Returns its ARN.
    async fn create_flywheel(&self, model: &str) -> Result<String, Error> {
        let (comprehend, prefix, lake) = (&self.comprehend, &self.prefix, &self.lake);
        println!("\n== 4. A flywheel around the trained model");
        let flywheel = comprehend
            .create_flywheel()
            .flywheel_name(format!("{prefix}-flywheel"))
            .active_model_arn(model)
            .data_access_role_arn(ROLE)
            .data_lake_s3_uri(format!("s3://{lake}/flywheels"))
            .send()
            .await?
            .flywheel_arn
            .ok_or("no ARN")?;
        wait("flywheel", || async {
            let out = comprehend
                .describe_flywheel()
                .flywheel_arn(&flywheel)
                .send()
                .await?;
            Ok(out
                .flywheel_properties
                .and_then(|p| p.status)
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default())
        })
        .await?;
        Ok(flywheel)
    }

    /// Step 5: adds the new training data and the held-out test data to the flywheel as
    /// datasets and waits for each to be ingested.
    async fn create_datasets(&self, flywheel: &str) -> Result<(), Error> {
        let (comprehend, bucket) = (&self.comprehend, &self.bucket);
        println!("\n== 5. Datasets: new training data and held-out test data");
        for (name, kind, source) in [
            ("new-data", DatasetType::Train, "new-data/"),
            ("held-out", DatasetType::Test, "test/"),
        ] {
            let input = DatasetInputDataConfig::builder()
                .document_classifier_input_data_config(
                    DatasetDocumentClassifierInputDataConfig::builder()
                        .s3_uri(format!("s3://{bucket}/{source}"))
                        .build()?,
                )
                .build();
            let arn = comprehend
                .create_dataset()
                .flywheel_arn(flywheel)
                .dataset_name(name)
                .dataset_type(kind)
                .input_data_config(input)
                .send()
                .await?
                .dataset_arn
                .ok_or("no ARN")?;
            wait(name, || async {
                let out = comprehend
                    .describe_dataset()
                    .dataset_arn(&arn)
                    .send()
                    .await?;
                Ok(out
                    .dataset_properties
                    .and_then(|p| p.status)
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default())
            })
            .await?;
        }
        Ok(())
    }

    /// Step 6: runs a flywheel iteration, which evaluates the active version and trains a
    /// new one, and prints both F1 scores. Fails unless the new version wins.
    async fn run_iteration(&self, flywheel: &str) -> Result<Iteration, Error> {
        let comprehend = &self.comprehend;
        println!("\n== 6. A flywheel iteration: evaluate the active version, train a new one");
        let iteration = comprehend
            .start_flywheel_iteration()
            .flywheel_arn(flywheel)
            .send()
            .await?
            .flywheel_iteration_id
            .ok_or("no id")?;
        wait("iteration", || async {
            let out = comprehend
                .describe_flywheel_iteration()
                .flywheel_arn(flywheel)
                .flywheel_iteration_id(&iteration)
                .send()
                .await?;
            Ok(out
                .flywheel_iteration_properties
                .and_then(|p| p.status)
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default())
        })
        .await?;
        let it = comprehend
            .describe_flywheel_iteration()
            .flywheel_arn(flywheel)
            .flywheel_iteration_id(&iteration)
            .send()
            .await?
            .flywheel_iteration_properties
            .ok_or("no iteration")?;
        let before = it
            .evaluated_model_metrics()
            .and_then(|m| m.average_f1_score())
            .ok_or("no evaluated F1")?;
        let after = it
            .trained_model_metrics()
            .and_then(|m| m.average_f1_score())
            .ok_or("no trained F1")?;
        let new_model = it.trained_model_arn().ok_or("no trained model")?.to_owned();
        println!(
            "{}\nF1 of the active version: {before}; of the new version: {after}",
            it.message().unwrap_or_default()
        );
        if after <= before {
            return Err("the new version did not beat the active one".into());
        }
        Ok(Iteration {
            before,
            after,
            new_model,
        })
    }

    /// Step 7: makes the new version the flywheel's active model.
    async fn promote(&self, flywheel: &str, new_model: &str) -> Result<(), Error> {
        println!("\n== 7. Promote the new version");
        self.comprehend
            .update_flywheel()
            .flywheel_arn(flywheel)
            .active_model_arn(new_model)
            .send()
            .await?;
        println!("active: {new_model}");
        Ok(())
    }

    /// Step 8: classifies a document on an endpoint that follows the flywheel, then the
    /// inference documents with an asynchronous job. Returns the endpoint's ARN.
    async fn use_the_model(&self, flywheel: &str) -> Result<String, Error> {
        println!("\n== 8. Use it: an endpoint that follows the flywheel, and an async job");
        let endpoint_arn = self.classify_on_endpoint(flywheel).await?;
        let job = self.classification_job(flywheel).await?;
        self.print_predictions(&job).await?;
        Ok(endpoint_arn)
    }

    /// Creates an endpoint on the flywheel, waits until it is in service and prints its top
    /// three classes for one document. Returns its ARN.
    async fn classify_on_endpoint(&self, flywheel: &str) -> Result<String, Error> {
        let (comprehend, prefix) = (&self.comprehend, &self.prefix);
        let endpoint_arn = comprehend
            .create_endpoint()
            .endpoint_name(format!("{prefix}-endpoint"))
            .flywheel_arn(flywheel)
            .desired_inference_units(1)
            .send()
            .await?
            .endpoint_arn
            .ok_or("no ARN")?;
        wait("endpoint", || async {
            let out = comprehend
                .describe_endpoint()
                .endpoint_arn(&endpoint_arn)
                .send()
                .await?;
            Ok(out
                .endpoint_properties
                .and_then(|p| p.status)
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default())
        })
        .await?;
        let answer = comprehend
            .classify_document()
            .endpoint_arn(&endpoint_arn)
            .text("a large bird of prey with a hooked beak")
            .send()
            .await?;
        for class in answer.classes().iter().take(3) {
            println!(
                "{:14} {:.3}",
                class.name().unwrap_or_default(),
                class.score().unwrap_or_default()
            );
        }
        Ok(endpoint_arn)
    }

    /// Runs an asynchronous classification job on the flywheel over the inference documents
    /// (one per line) and waits for it. Returns the job id.
    async fn classification_job(&self, flywheel: &str) -> Result<String, Error> {
        let (comprehend, bucket, prefix) = (&self.comprehend, &self.bucket, &self.prefix);
        let job = comprehend
            .start_document_classification_job()
            .job_name(format!("{prefix}-job"))
            .flywheel_arn(flywheel)
            .data_access_role_arn(ROLE)
            .input_data_config(
                InputDataConfig::builder()
                    .s3_uri(format!("s3://{bucket}/inference/"))
                    .input_format(InputFormat::OneDocPerLine)
                    .build()?,
            )
            .output_data_config(
                OutputDataConfig::builder()
                    .s3_uri(format!("s3://{bucket}/inference-output/"))
                    .build()?,
            )
            .send()
            .await?
            .job_id
            .ok_or("no job id")?;
        wait("classification job", || async {
            let out = comprehend
                .describe_document_classification_job()
                .job_id(&job)
                .send()
                .await?;
            Ok(out
                .document_classification_job_properties
                .and_then(|p| p.job_status)
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default())
        })
        .await?;
        Ok(job)
    }

    /// Reads a finished job's `output.tar.gz` from S3 and prints how many predictions it holds.
    async fn print_predictions(&self, job: &str) -> Result<(), Error> {
        let bucket = &self.bucket;
        let output = self
            .comprehend
            .describe_document_classification_job()
            .job_id(job)
            .send()
            .await?
            .document_classification_job_properties
            .and_then(|p| p.output_data_config)
            .map(|o| o.s3_uri)
            .ok_or("no output")?;
        let key = output
            .strip_prefix(&format!("s3://{bucket}/"))
            .ok_or("output elsewhere")?;
        let archive = self
            .s3
            .get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await?
            .body
            .collect()
            .await?
            .into_bytes();
        let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(archive.as_ref()));
        let mut predictions = String::new();
        tar.entries()?
            .next()
            .ok_or("empty archive")??
            .read_to_string(&mut predictions)?;
        println!("{} predictions in {output}", predictions.lines().count());
        Ok(())
    }

    /// Step 9: the errors a client meets, as the SDK types them: an endpoint that does not
    /// exist, an ARN that breaks the API's pattern, and a document over the 10 KB limit.
    /// Fails unless each is the error Comprehend answers.
    async fn errors(&self, endpoint_arn: &str) -> Result<(), Error> {
        let comprehend = &self.comprehend;
        println!("\n== 9. Errors");
        let missing = format!("{}-gone", endpoint_arn);
        let err = comprehend
            .describe_endpoint()
            .endpoint_arn(&missing)
            .send()
            .await
            .err()
            .ok_or("DescribeEndpoint of a missing endpoint succeeded")?
            .into_service_error();
        if !matches!(err, DescribeEndpointError::ResourceNotFoundException(_)) {
            return Err(format!("DescribeEndpoint of {missing}: {err:?}").into());
        }
        println!(
            "DescribeEndpoint {missing}: {}",
            err.code().unwrap_or_default()
        );
        let err = comprehend
            .describe_document_classifier()
            .document_classifier_arn("not-an-arn")
            .send()
            .await
            .err()
            .ok_or("DescribeDocumentClassifier of not-an-arn succeeded")?
            .into_service_error();
        if err.code() != Some("ValidationException") {
            return Err(format!("DescribeDocumentClassifier of not-an-arn: {err:?}").into());
        }
        println!(
            "DescribeDocumentClassifier not-an-arn: {}",
            err.message().unwrap_or_default()
        );
        let err = comprehend
            .classify_document()
            .endpoint_arn(endpoint_arn)
            .text("x".repeat(10_001))
            .send()
            .await
            .err()
            .ok_or("ClassifyDocument of 10,001 bytes succeeded")?
            .into_service_error();
        if !matches!(
            err,
            ClassifyDocumentError::TextSizeLimitExceededException(_)
        ) {
            return Err(format!("ClassifyDocument of 10,001 bytes: {err:?}").into());
        }
        println!(
            "ClassifyDocument of 10,001 bytes: {}",
            err.code().unwrap_or_default()
        );
        Ok(())
    }

    /// Step 10: deletes the endpoint (and waits until it is gone), the flywheel and every
    /// version of the classifier. The buckets stay.
    async fn clean_up(&self, flywheel: &str, endpoint_arn: &str) -> Result<(), Error> {
        let (comprehend, prefix) = (&self.comprehend, &self.prefix);
        println!("\n== 10. Clean up");
        comprehend
            .delete_endpoint()
            .endpoint_arn(endpoint_arn)
            .send()
            .await?;
        for _ in 0..60 {
            if comprehend
                .describe_endpoint()
                .endpoint_arn(endpoint_arn)
                .send()
                .await
                .is_err()
            {
                break;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        comprehend
            .delete_flywheel()
            .flywheel_arn(flywheel)
            .send()
            .await?;
        let versions = comprehend
            .list_document_classifiers()
            .filter(
                aws_sdk_comprehend::types::DocumentClassifierFilter::builder()
                    .document_classifier_name(format!("{prefix}-classifier"))
                    .build(),
            )
            .send()
            .await?;
        for version in versions.document_classifier_properties_list() {
            let arn = version.document_classifier_arn().unwrap_or_default();
            comprehend
                .delete_document_classifier()
                .document_classifier_arn(arn)
                .send()
                .await?;
            println!("deleted {arn}");
        }
        Ok(())
    }
}
