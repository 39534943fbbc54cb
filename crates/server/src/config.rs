//! Configuration: every setting is a flag and an environment variable, defined once here.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::clock::{Clock, Ids};

/// comprehend-local: a local, AWS-compatible Amazon Comprehend (custom classification
/// and flywheels) that really trains, evaluates and serves models.
#[derive(Debug, Clone, Parser)]
#[command(name = "comprehend-local", version, about)]
pub struct Config {
    /// Address to listen on (Comprehend JSON API, built-in S3 and /health share it).
    #[arg(long, env = "COMPREHEND_LOCAL_BIND", default_value = "127.0.0.1:4599")]
    pub bind: SocketAddr,

    /// Directory for the database, trained models and the built-in S3's buckets.
    #[arg(
        long,
        env = "COMPREHEND_LOCAL_DATA_DIR",
        default_value = "./comprehend-data"
    )]
    pub data_dir: PathBuf,

    /// Largest Comprehend request body accepted, in bytes (larger ones get an error).
    #[arg(long, env = "COMPREHEND_LOCAL_MAX_BODY_BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_body_bytes: usize,

    /// Training and inference jobs run at once (default: the number of CPU cores). 0 pauses
    /// the job queue: jobs wait until a server with workers starts (tests drive it by hand).
    #[arg(long, env = "COMPREHEND_LOCAL_WORKERS")]
    pub workers: Option<usize>,

    /// Serve S3 on the same port (path-style). Turn off when all data lives in an external S3.
    #[arg(long, env = "COMPREHEND_LOCAL_BUILTIN_S3", default_value_t = true, action = clap::ArgAction::Set)]
    pub builtin_s3: bool,

    /// Read and write all s3:// data through this S3-compatible endpoint instead of the
    /// built-in S3 (e.g. http://minio:9000). Use `aws` for real AWS S3.
    #[arg(long, env = "COMPREHEND_LOCAL_S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,

    /// Region for the external S3.
    #[arg(long, env = "COMPREHEND_LOCAL_S3_REGION", default_value = "us-east-1")]
    pub s3_region: String,

    /// Access key id for the external S3 (else the usual AWS_ACCESS_KEY_ID).
    #[arg(long, env = "COMPREHEND_LOCAL_S3_ACCESS_KEY_ID")]
    pub s3_access_key_id: Option<String>,

    /// Secret access key for the external S3 (else the usual AWS_SECRET_ACCESS_KEY).
    #[arg(
        long,
        env = "COMPREHEND_LOCAL_S3_SECRET_ACCESS_KEY",
        hide_env_values = true
    )]
    pub s3_secret_access_key: Option<String>,

    /// Path-style addressing for the external S3 (MinIO, moto and LocalStack want it).
    #[arg(long, env = "COMPREHEND_LOCAL_S3_PATH_STYLE", default_value_t = true, action = clap::ArgAction::Set)]
    pub s3_path_style: bool,

    /// Throughput emulation: an endpoint accepts DesiredInferenceUnits x 100 characters per
    /// second and answers TooManyRequestsException above it.
    #[arg(long, env = "COMPREHEND_LOCAL_THROTTLE_ENDPOINTS", default_value_t = false, action = clap::ArgAction::Set)]
    pub throttle_endpoints: bool,

    /// Serve the web console at /console on the same port (read-only pages of flywheels,
    /// models, endpoints and jobs).
    #[arg(long, env = "COMPREHEND_LOCAL_CONSOLE", default_value_t = true, action = clap::ArgAction::Set)]
    pub console: bool,

    /// Build the built-in analysis models (PII, sentiment, language, toxicity) in the
    /// background at start-up, so that no request waits for them.
    #[arg(long, env = "COMPREHEND_LOCAL_WARM_BUILTIN", default_value_t = true, action = clap::ArgAction::Set)]
    pub warm_builtin: bool,

    /// Log filter (tracing's EnvFilter syntax), e.g. `info` or `comprehend_local=debug`.
    #[arg(long, env = "COMPREHEND_LOCAL_LOG", default_value = "info")]
    pub log: String,

    /// Where "now" comes from: the system clock, or a manual one in tests.
    #[arg(skip)]
    pub clock: Clock,

    /// Where new job ids come from: random, or sequential in tests.
    #[arg(skip)]
    pub ids: Ids,
}

impl Config {
    /// The configuration with every default, rooted at `data_dir` and listening on `bind`.
    pub fn for_tests(data_dir: PathBuf, bind: SocketAddr) -> Config {
        let mut config = Config::parse_from(["comprehend-local"]);
        config.data_dir = data_dir;
        config.bind = bind;
        // Each test starts its own server: a second of CPU per start to train the PII
        // tagger would add minutes to the suite; a test that reads PII builds it on first use.
        config.warm_builtin = false;
        config
    }

    /// Worker count after defaults.
    pub fn worker_count(&self) -> usize {
        self.workers.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        })
    }

    /// The SQLite database file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("comprehend.db")
    }

    /// The built-in S3's root: one folder per bucket.
    pub fn s3_root(&self) -> PathBuf {
        self.data_dir.join("s3")
    }

    /// Trained model files (private to the emulator).
    pub fn models_dir(&self) -> PathBuf {
        self.data_dir.join("models")
    }
}
