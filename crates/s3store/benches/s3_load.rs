//! Load for the built-in S3 benchmark (`benches/s3_put_get.sh`): PutObject and GetObject of
//! 1 KB and 10 MB objects over loopback HTTP, path-style requests with a dummy signature (none
//! of the measured servers checks signatures), a bounded number of requests at a fixed
//! concurrency. Prints one Markdown table row per size and operation.
//!
//! `cargo run --release -p comprehend-s3store --example s3_load -- <endpoint> <label>`

use std::time::Instant;

use futures::StreamExt;

/// (label, object size, requests, concurrency).
const CASES: [(&str, usize, usize, usize); 2] =
    [("1 KB", 1024, 2000, 8), ("10 MB", 10 * 1024 * 1024, 30, 2)];

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let endpoint = args.next().expect("usage: s3_load <endpoint> <label>");
    let label = args.next().unwrap_or_else(|| endpoint.clone());
    // moto refuses anonymous writes; it (like the built-in S3) does not verify signatures,
    // so a well-formed Authorization header with a dummy signature is enough.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_static(
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0",
        ),
    );
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("client");
    let bucket = format!("{endpoint}/bench");
    let created = client.put(&bucket).send().await.expect("create bucket");
    assert!(created.status().is_success() || created.status().as_u16() == 409);
    for (size_label, size, requests, concurrency) in CASES {
        let body = bytes::Bytes::from((0..size).map(|i| (i % 251) as u8).collect::<Vec<_>>());
        let put = run(requests, concurrency, |i| {
            let request = client
                .put(format!("{bucket}/obj/{size}/{}", i % 64))
                .body(body.clone());
            async move {
                let answer = request.send().await.expect("put");
                assert!(answer.status().is_success(), "put: {}", answer.status());
                answer.bytes().await.expect("put answer");
                size
            }
        })
        .await;
        let get = run(requests, concurrency, |i| {
            let request = client.get(format!("{bucket}/obj/{size}/{}", i % 64.min(requests)));
            async move {
                let answer = request.send().await.expect("get");
                assert!(answer.status().is_success(), "get: {}", answer.status());
                let bytes = answer.bytes().await.expect("get body");
                assert_eq!(bytes.len(), size);
                size
            }
        })
        .await;
        for (op, (seconds, bytes)) in [("PutObject", put), ("GetObject", get)] {
            println!(
                "| {label} | {op} | {size_label} | {requests} | {concurrency} | {:.0} | {:.1} |",
                requests as f64 / seconds,
                bytes as f64 / seconds / 1e6
            );
        }
    }
}

/// Runs `requests` requests, `concurrency` at a time; returns (seconds, bytes moved).
async fn run<F, Fut>(requests: usize, concurrency: usize, make: F) -> (f64, usize)
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let started = Instant::now();
    let bytes: usize = futures::stream::iter(0..requests)
        .map(make)
        .buffer_unordered(concurrency)
        .fold(0, |sum, n| async move { sum + n })
        .await;
    (started.elapsed().as_secs_f64(), bytes)
}
