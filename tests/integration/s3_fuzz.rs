//! A bounded, seeded fuzzer for the built-in S3: odd methods, bucket names, keys
//! (traversals, encodings, 1,030 bytes), sub-resources, headers (ranges, copy sources,
//! digests, aws-chunked framing) and bodies. Whatever arrives, the server answers with a
//! status line, never a 5xx (except `501 NotImplemented` for S3 operations that are not
//! emulated), never a dropped connection or a hang.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::Env;

/// A small deterministic generator (an LCG), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const METHODS: &[&str] = &["GET", "PUT", "POST", "DELETE", "HEAD"];
const KEY_PARTS: &[&str] = &[
    "a", "a/b", "dir/", "dir", "..", ".", "%2e%2e", "%2F", "%00", "%ZZ", "%C3%BC", "a//b", "", "+",
    "%20x", "~", "*", "big.csv",
];
const QUERIES: &[&str] = &[
    "",
    "?uploads",
    "?uploadId=nope&partNumber=1",
    "?uploadId=nope",
    "?partNumber=99999&uploadId=x",
    "?tagging",
    "?list-type=2&prefix=a&delimiter=/&max-keys=1",
    "?list-type=2&continuation-token=garbage",
    "?list-type=2&max-keys=-1",
    "?marker=zzz&max-keys=0",
    "?location",
    "?delete",
    "?x-id=GetObject",
];
const HEADERS: &[&str] = &[
    "",
    "Content-MD5: garbage\r\n",
    "Content-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==\r\n",
    "Range: bytes=5-1\r\n",
    "Range: bytes=0-\r\n",
    "Range: bytes=-99999999999999999999\r\n",
    "Range: lines=1-2\r\n",
    "x-amz-copy-source: /fuzz/a\r\n",
    "x-amz-copy-source: /missing-bucket/x\r\n",
    "x-amz-copy-source: fuzz/..%2F..%2Fcomprehend.db\r\n",
    "x-amz-tagging: a=b&c\r\n",
    "x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\nContent-Encoding: aws-chunked\r\nx-amz-decoded-content-length: 5\r\n",
    "x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD\r\nx-amz-decoded-content-length: 18446744073709551615\r\n",
    "Expect: 100-continue\r\n",
];
const BODIES: &[&[u8]] = &[
    b"",
    b"x,1\n",
    b"5\r\nhello\r\n0\r\n\r\n",
    b"ffffffffffffffffffff\r\nxx\r\n0\r\n\r\n",
    b"5;chunk-signature=zz\r\nhel",
    b"<Delete><Object><Key>a</Key></Object></Delete>",
    b"<Delete><Object><Key></Key></Object>",
    b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>",
    b"<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>",
    b"\xff\xfe\x00\x01garbage",
];

fn request(rng: &mut Rng, host: &str) -> Vec<u8> {
    let long_bucket = "b".repeat(70);
    let long_key = "k".repeat(1030);
    let buckets = [
        "fuzz",
        "fuzz-two",
        "missing-bucket",
        "a",
        "UPPER",
        &long_bucket,
        "",
    ];
    let bucket = buckets[rng.below(buckets.len())];
    let mut key = String::new();
    for i in 0..rng.below(4) {
        if i > 0 {
            key.push('/');
        }
        key.push_str(if rng.below(20) == 0 {
            &long_key
        } else {
            rng.pick(KEY_PARTS)
        });
    }
    let (method, query, headers) = (rng.pick(METHODS), rng.pick(QUERIES), rng.pick(HEADERS));
    let body = BODIES[rng.below(BODIES.len())];
    let mut out = format!(
        "{method} /{bucket}/{key}{query} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// Sends one request on its own connection; the whole answer, or why there is none.
async fn send(host: &str, request: &[u8]) -> Result<String, String> {
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(host).await?;
        stream.write_all(request).await?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await?;
        Ok::<_, std::io::Error>(answer)
    };
    match tokio::time::timeout(Duration::from_secs(10), exchange).await {
        Ok(Ok(answer)) => Ok(String::from_utf8_lossy(&answer).into_owned()),
        Ok(Err(e)) => Err(format!("connection error: {e}")),
        Err(_) => Err("no answer within 10 s".into()),
    }
}

#[tokio::test]
async fn no_request_gets_a_server_error_or_a_dropped_connection() {
    let env = Env::start().await;
    env.bucket_with("fuzz", &[("big.csv", "wordnet-small/partial.csv")])
        .await;
    env.put("fuzz", "a", "first").await;
    env.put("fuzz", "dir/a", "nested").await;
    // A bucket the requests never name: nothing may reach it.
    env.s3
        .create_bucket()
        .bucket("untouched")
        .send()
        .await
        .unwrap();
    env.put("untouched", "dir/a", "nested").await;
    env.s3
        .create_bucket()
        .bucket("fuzz-two")
        .send()
        .await
        .unwrap();
    let host = env.url.trim_start_matches("http://").to_owned();
    // S3_FUZZ_SEED replays or explores other sequences; CI runs the fixed one.
    let seed = std::env::var("S3_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_cafe);
    let mut rng = Rng(seed);
    let mut not_implemented = 0;
    for n in 0..1500 {
        let request = request(&mut rng, &host);
        let shown = String::from_utf8_lossy(&request[..request.len().min(300)]).into_owned();
        let answer = send(&host, &request)
            .await
            .unwrap_or_else(|why| panic!("request {n}: {why}\n{shown}"));
        let status: u16 = answer
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("request {n}: no status line\n{shown}\n{answer}"));
        if status == 501 && answer.contains("NotImplemented") {
            not_implemented += 1;
            continue;
        }
        assert!(status < 500, "request {n}: {status}\n{shown}\n{answer}");
    }
    // Still serving, and what was stored is intact.
    assert_eq!(env.get("untouched", "dir/a").await, b"nested");
    assert!(
        not_implemented < 150,
        "{not_implemented} requests answered 501"
    );
}
