//! The application: one listener serving the Comprehend API, the built-in S3 and
//! `/health`; the job workers; graceful shutdown.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State as AxumState};
use axum::response::{IntoResponse, Response};
use axum::serve::ListenerExt;
use comprehend_s3store::reserve::Reserve;
use comprehend_store::Store;
use comprehend_store::objects::{Backend, Objects};
use http::{Method, StatusCode};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::api::Api;
use crate::config::Config;
use crate::jobs;
use crate::models::{Loaded, ModelCache};
use crate::s3::BuiltinS3;
use crate::state::{State, Wakeup};
use crate::throttle::Throttle;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The data directory or a folder in it could not be used.
    #[error("cannot use data directory {path}: {reason}")]
    DataDir {
        /// The path that failed.
        path: String,
        /// Why, as the operating system said it.
        reason: String,
    },
    /// The database could not be opened or migrated.
    #[error("cannot open the database {path}: {source}")]
    Store {
        /// The database file.
        path: String,
        /// What failed.
        source: comprehend_store::StoreError,
    },
    /// Recovering interrupted jobs failed.
    #[error("cannot recover interrupted jobs: {0}")]
    Recovery(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

#[derive(Clone)]
struct Routes {
    api: Api,
    s3: Option<BuiltinS3>,
    /// The web console's pages, unless turned off.
    console: Option<Router>,
    /// Where the console opens: the scope of the last Comprehend request.
    last_scope: comprehend_console::LastScope,
    max_body: usize,
    /// Permits to decode large Comprehend requests (see [`LARGE_REQUEST_BYTES`]).
    large_requests: Arc<tokio::sync::Semaphore>,
    /// All the permits there are: [`LARGE_REQUESTS_AT_ONCE`] full-size JSON requests.
    large_request_budget: u32,
}

/// A Comprehend request body this large is decoded only with permits, one per started
/// MiB: its JSON tree can take about ten times its size while it is validated, so a
/// budget of a few full-size requests bounds what clients can make the server hold.
/// Real requests are far smaller (ClassifyDocument's text is at most 10 KB).
const LARGE_REQUEST_BYTES: usize = 1024 * 1024;
/// Full-size AWS JSON 1.1 requests decoded at once.
const LARGE_REQUESTS_AT_ONCE: u32 = 2;
/// Permits per MiB of an RPC v2 CBOR body: its tree can take about three times JSON's per
/// body byte (an empty string is one byte of CBOR, three of JSON, and one tree value).
const CBOR_PERMITS_PER_MIB: u32 = 3;

/// The permits a body of `len` bytes takes, within the whole `budget` so that any body
/// the size limit lets in can be decoded, alone if need be.
fn large_request_permits(claim: comprehend_protocol::Claim, len: usize, budget: u32) -> u32 {
    let mib = u32::try_from(len.div_ceil(LARGE_REQUEST_BYTES)).unwrap_or(u32::MAX);
    let per_mib = match claim {
        comprehend_protocol::Claim::Speaks(comprehend_protocol::Protocol::RpcV2Cbor) => {
            CBOR_PERMITS_PER_MIB
        }
        comprehend_protocol::Claim::Speaks(comprehend_protocol::Protocol::AwsJson11)
        | comprehend_protocol::Claim::UnknownProtocol => 1,
    };
    mib.saturating_mul(per_mib).min(budget)
}

/// The console's routes, reading through the API and the rest of the server's state.
fn console_router(api: &Api, last_scope: &comprehend_console::LastScope) -> Router {
    let source = crate::console::ConsoleSource(api.state().clone());
    comprehend_console::router(api.clone(), source, last_scope.clone())
}

/// A running server.
pub struct Server {
    /// The address it listens on (useful with port 0).
    pub addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    http: JoinHandle<()>,
    workers: Vec<JoinHandle<()>>,
    api: Api,
}

impl Server {
    /// Opens the data directory, applies migrations, recovers interrupted jobs, binds,
    /// and starts serving and working.
    pub async fn start(config: Config) -> Result<Server, StartError> {
        check_data_dir(&config.data_dir)?;
        let reserve = Arc::new(Reserve::open(&config.data_dir));
        let (s3, backend) = open_s3(&config, &reserve).await?;
        let state = Arc::new(open_state(&config, backend, reserve).await?);
        jobs::recover(&state)
            .await
            .map_err(|e| StartError::Recovery(e.to_string()))?;

        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|source| StartError::Bind {
                addr: config.bind,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.bind,
            source,
        })?;
        if config.warm_builtin {
            tokio::task::spawn_blocking(comprehend_builtin::warm_up);
        }
        let (shutdown, shutdown_rx) = watch::channel(false);
        let workers = jobs::start(state.clone(), config.worker_count(), shutdown_rx.clone());
        let api = Api::new(state);
        let full_size = u32::try_from(config.max_body_bytes.div_ceil(LARGE_REQUEST_BYTES))
            .unwrap_or(u32::MAX)
            .max(1);
        let large_request_budget = full_size.saturating_mul(LARGE_REQUESTS_AT_ONCE);
        let last_scope = comprehend_console::LastScope::default();
        let routes = Routes {
            console: config.console.then(|| console_router(&api, &last_scope)),
            last_scope,
            api: api.clone(),
            s3,
            max_body: config.max_body_bytes,
            large_requests: Arc::new(tokio::sync::Semaphore::new(large_request_budget as usize)),
            large_request_budget,
        };
        let app = Router::new().fallback(route).with_state(routes).layer(
            tower_http::catch_panic::CatchPanicLayer::custom(panic_response),
        );
        let mut stop = shutdown_rx;
        let http = tokio::spawn(async move {
            // Responses are written as a head and then body chunks; with Nagle's algorithm
            // the chunk after the head waits for the client's delayed ACK (~40 ms), which
            // capped small S3 GETs on kept-alive connections at about 300 a second.
            let listener = listener.tap_io(|tcp| {
                if let Err(e) = tcp.set_nodelay(true) {
                    tracing::debug!(error = %e, "cannot set TCP_NODELAY");
                }
            });
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = stop.wait_for(|stopped| *stopped).await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "server error");
            }
        });
        tracing::info!(%addr, data_dir = %config.data_dir.display(), builtin_s3 = config.builtin_s3, "comprehend-local ready");
        Ok(Server {
            addr,
            shutdown,
            http,
            workers,
            api,
        })
    }

    /// The API, for tests that want to drive the job queue directly.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// Stops accepting requests, lets running requests finish, stops the workers and
    /// closes the database. Interrupted jobs resume at the next start.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        self.api
            .state()
            .shutting_down
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = self.http.await;
        for worker in self.workers {
            worker.abort();
            let _ = worker.await;
        }
        let store = &self.api.state().store;
        match store.release_running_jobs(self.api.state().now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(jobs = n, "interrupted jobs will resume at the next start"),
            Err(e) => tracing::warn!(error = %e, "could not release running jobs"),
        }
        store.close().await;
    }
}

async fn route(AxumState(routes): AxumState<Routes>, req: Request) -> Response {
    let started = Instant::now();
    if req.method() == Method::GET && req.uri().path() == "/health" {
        return health(routes.api.state().clone()).await;
    }
    if let Some(claim) = comprehend_protocol::claim(req.method(), req.uri(), req.headers()) {
        return comprehend(&routes, claim, req, started).await;
    }
    if let Some(console) = routes
        .console
        .as_ref()
        .filter(|_| comprehend_console::claims(&req))
    {
        let path = req.uri().path().to_owned();
        let Ok(response) = tower::ServiceExt::oneshot(console.clone(), req).await;
        tracing::info!(target: "comprehend_local::console", %path, status = response.status().as_u16(),
            latency_ms = format!("{:.3}", started.elapsed().as_secs_f64() * 1000.0), "console page");
        return response;
    }
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let response = match &routes.s3 {
        Some(s3) => s3.call(req).await,
        None => (
            StatusCode::NOT_FOUND,
            "The built-in S3 endpoint is disabled (COMPREHEND_LOCAL_BUILTIN_S3=false)\n",
        )
            .into_response(),
    };
    tracing::info!(target: "comprehend_local::s3", %method, %path, status = response.status().as_u16(),
        latency_ms = format!("{:.3}", started.elapsed().as_secs_f64() * 1000.0), "s3 request");
    response
}

async fn comprehend(
    routes: &Routes,
    claim: comprehend_protocol::Claim,
    req: Request,
    started: Instant,
) -> Response {
    let (parts, body) = req.into_parts();
    if routes.console.is_some() {
        let authorization = parts.headers.get(http::header::AUTHORIZATION);
        let scope = comprehend_protocol::auth::scope_from_authorization(
            authorization.and_then(|v| v.to_str().ok()),
        );
        routes.last_scope.record(&scope.account_id, &scope.region);
    }
    let handled = match axum::body::to_bytes(body, routes.max_body).await {
        Ok(bytes) => {
            let _permit = if bytes.len() >= LARGE_REQUEST_BYTES {
                let permits =
                    large_request_permits(claim, bytes.len(), routes.large_request_budget);
                routes.large_requests.acquire_many(permits).await.ok()
            } else {
                None
            };
            serve_unwinding(routes, claim, &parts, &bytes).await
        }
        Err(_) => comprehend_protocol::refuse(
            claim,
            &parts,
            comprehend_protocol::body_too_large(routes.max_body),
        ),
    };
    let status = handled.response.status().as_u16();
    tracing::info!(
        target: "comprehend_local::api",
        protocol = handled.protocol.map(|p| p.name()).unwrap_or("-"),
        operation = handled.operation.map(|o| o.name()).unwrap_or("-"),
        status,
        error = handled.error.unwrap_or("-"),
        latency_ms = format!("{:.3}", started.elapsed().as_secs_f64() * 1000.0),
        request_id = %handled.request_id,
        "request"
    );
    handled.response.map(Body::from)
}

/// Serves a request, answering a panic in the request's own protocol (the outer
/// `CatchPanicLayer` never sees the request, so it can only answer AWS JSON 1.1).
async fn serve_unwinding(
    routes: &Routes,
    claim: comprehend_protocol::Claim,
    parts: &http::request::Parts,
    body: &[u8],
) -> comprehend_protocol::Handled {
    let served = comprehend_protocol::handle(&routes.api, parts, claim, body);
    answer_panics(claim, parts, served).await
}

/// `served`'s answer, or a 500 `InternalServerException` in the claimed protocol if it
/// panics.
async fn answer_panics(
    claim: comprehend_protocol::Claim,
    parts: &http::request::Parts,
    served: impl Future<Output = comprehend_protocol::Handled>,
) -> comprehend_protocol::Handled {
    use futures::FutureExt as _;
    // Unwind safety: nothing this request reads after the panic was half-written by it;
    // shared state is behind the store's transactions and locks.
    std::panic::AssertUnwindSafe(served)
        .catch_unwind()
        .await
        .unwrap_or_else(|_| comprehend_protocol::refuse(claim, parts, internal_error()))
}

/// What a client sees when the server has a bug: AWS's answer to a server fault.
fn internal_error() -> comprehend_protocol::ServiceError {
    comprehend_protocol::ServiceError::internal("An internal error occurred in comprehend-local.")
}

/// A bug must not drop the connection: answer like AWS does for a server fault. This is
/// the backstop for a panic outside [`answer_panics`] (routing, S3).
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    // It never sees the request, so it answers in AWS JSON 1.1, the default protocol.
    let handled = comprehend_protocol::json::respond(
        Err(internal_error()),
        None,
        uuid::Uuid::new_v4().to_string(),
    );
    handled.response.map(Body::from)
}

/// `{"status":"ready"}`, or `"degraded"` with the reason while the data directory's disk
/// is full (the server still answers; writes fail until space is freed). Still 200: a
/// full disk is a condition to report, not a reason for a supervisor to restart.
/// `builtinModels` says whether the built-in analysis models are built yet (`loading`
/// while they are: a request then waits for them), `builtinModelsVersion` which answers
/// they give.
async fn health(state: crate::state::Shared) -> Response {
    let degraded = tokio::task::spawn_blocking(move || crate::disk::degraded(&state))
        .await
        .ok()
        .flatten();
    let models = if comprehend_builtin::is_warm() {
        "ready"
    } else {
        "loading"
    };
    let mut body = serde_json::json!({
        "status": "ready",
        "version": env!("CARGO_PKG_VERSION"),
        "builtinModels": models,
        "builtinModelsVersion": comprehend_builtin::MODELS_VERSION,
    });
    if let Some(reason) = degraded {
        body["status"] = "degraded".into();
        body["reason"] = reason.into();
    }
    (
        [(http::header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// The error of a folder in the data directory that cannot be used.
fn dir_error(path: &Path) -> impl FnOnce(std::io::Error) -> StartError {
    let path = path.display().to_string();
    move |source| StartError::DataDir {
        path,
        reason: source.to_string(),
    }
}

/// Opens the built-in S3's storage when anything uses it (its endpoint, or the server's
/// own `s3://` data when no external S3 is configured): one store behind both, so what a
/// client uploads is what a job reads. Returns the endpoint (if enabled) and where
/// `s3://` data lives.
async fn open_s3(
    config: &Config,
    reserve: &Arc<Reserve>,
) -> Result<(Option<BuiltinS3>, Backend), StartError> {
    let external = object_backend(config);
    if let (false, Some(backend)) = (config.builtin_s3, &external) {
        return Ok((None, backend.clone()));
    }
    let root = config.s3_root();
    std::fs::create_dir_all(&root).map_err(dir_error(&root))?;
    let store = comprehend_s3store::S3Store::open(&root)
        .await
        .map(|store| Arc::new(store.with_reserve(reserve.clone())))
        .map_err(|e| StartError::DataDir {
            path: root.display().to_string(),
            reason: e.to_string(),
        })?;
    let s3 = config.builtin_s3.then(|| BuiltinS3::new(store.clone()));
    Ok((s3, external.unwrap_or(Backend::Builtin(store))))
}

/// Opens the database and the model store, and builds the shared state.
async fn open_state(
    config: &Config,
    backend: Backend,
    reserve: Arc<Reserve>,
) -> Result<State, StartError> {
    let database = config.database_path();
    let store = Store::open(&database)
        .await
        .map_err(|source| StartError::Store {
            path: database.display().to_string(),
            source,
        })?;
    let models = ModelCache::new(&config.models_dir()).map_err(dir_error(&config.models_dir()))?;
    Ok(State {
        recognizers: Loaded::default(),
        objects: Objects::new(backend),
        throttle: Throttle::new(config.throttle_endpoints),
        wakeup: Wakeup::default(),
        models,
        store,
        clock: config.clock.clone(),
        ids: config.ids.clone(),
        config: config.clone(),
        progress: Default::default(),
        shutting_down: Default::default(),
        reserve,
    })
}

/// The external S3-compatible endpoint for `s3://` data, if one is configured (else the
/// built-in S3's storage holds it).
fn object_backend(config: &Config) -> Option<Backend> {
    let endpoint = config.s3_endpoint.as_ref()?;
    Some(Backend::S3 {
        endpoint: (endpoint != "aws").then(|| endpoint.clone()),
        region: config.s3_region.clone(),
        access_key_id: config
            .s3_access_key_id
            .clone()
            .or_else(|| std::env::var("AWS_ACCESS_KEY_ID").ok()),
        secret_access_key: config
            .s3_secret_access_key
            .clone()
            .or_else(|| std::env::var("AWS_SECRET_ACCESS_KEY").ok()),
        path_style: config.s3_path_style,
    })
}

/// Checks that the data directory is a directory the server can write to, so an
/// unusable one stops the start with its path and the reason (read-only file system,
/// not a directory, no space left) instead of failing later, request by request.
fn check_data_dir(dir: &Path) -> Result<(), StartError> {
    let fail = |reason: String| StartError::DataDir {
        path: dir.display().to_string(),
        reason,
    };
    if dir.exists() && !dir.is_dir() {
        return Err(fail("it exists and is not a directory".into()));
    }
    std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
    // A write that reaches the disk: a full disk or a read-only mount fails here.
    let probe = dir.join(".write-check");
    let written = std::fs::File::create(&probe).and_then(|mut file| {
        file.write_all(&[0u8; 4096])?;
        file.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    written.map_err(|e| fail(format!("it is not writable: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use comprehend_protocol::{Claim, Protocol};

    fn parts(uri: &str) -> http::request::Parts {
        let request = http::Request::post(uri)
            .header("smithy-protocol", "rpc-v2-cbor")
            .body(())
            .unwrap();
        request.into_parts().0
    }

    async fn panicking() -> comprehend_protocol::Handled {
        panic!("a handler bug")
    }

    /// A handler's panic is a 500 in the caller's protocol, its operation still logged.
    #[tokio::test]
    async fn panics_are_answered_in_the_claimed_protocol() {
        let cbor = Claim::Speaks(Protocol::RpcV2Cbor);
        let p = parts("/service/Comprehend_20171127/operation/ListFlywheels");
        let handled = answer_panics(cbor, &p, panicking()).await;
        assert_eq!(handled.response.status(), 500);
        assert_eq!(
            handled.response.headers()["content-type"],
            "application/cbor"
        );
        assert_eq!(handled.response.headers()["smithy-protocol"], "rpc-v2-cbor");
        assert_eq!(handled.error, Some("InternalServerException"));
        let list = comprehend_protocol::Operation::ListFlywheels;
        assert_eq!(handled.operation, Some(list));
        let json = Claim::Speaks(Protocol::AwsJson11);
        let handled = answer_panics(json, &parts("/"), panicking()).await;
        assert_eq!(handled.response.status(), 500);
        let content_type = &handled.response.headers()["content-type"];
        assert_eq!(content_type, "application/x-amz-json-1.1");
    }

    /// A full-size JSON body takes half the budget; CBOR's tree weighs three times as
    /// much per byte, and no body needs more than the whole budget.
    #[test]
    fn large_requests_are_weighed_by_size_and_protocol() {
        const MIB: usize = 1024 * 1024;
        let (json, cbor) = (
            Claim::Speaks(Protocol::AwsJson11),
            Claim::Speaks(Protocol::RpcV2Cbor),
        );
        let budget = 20;
        assert_eq!(large_request_permits(json, MIB, budget), 1);
        assert_eq!(large_request_permits(json, MIB + 1, budget), 2);
        assert_eq!(large_request_permits(json, 10 * MIB, budget), 10);
        assert_eq!(large_request_permits(cbor, 3 * MIB, budget), 9);
        assert_eq!(large_request_permits(cbor, 10 * MIB, budget), budget);
        assert_eq!(large_request_permits(cbor, usize::MAX, budget), budget);
    }
}
