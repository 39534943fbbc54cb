//! The built-in S3 endpoint, through aws-sdk-s3 and raw HTTP.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::Env;

#[tokio::test]
async fn buckets_and_objects_round_trip() {
    let env = Env::start().await;
    env.s3
        .create_bucket()
        .bucket("round-trip")
        .send()
        .await
        .unwrap();
    env.put("round-trip", "dir/a.csv", b"A,first\n".to_vec())
        .await;
    env.put("round-trip", "dir/b.csv", b"B,second\n".to_vec())
        .await;
    assert_eq!(env.get("round-trip", "dir/a.csv").await, b"A,first\n");
    let listed = env
        .s3
        .list_objects_v2()
        .bucket("round-trip")
        .prefix("dir/")
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["dir/a.csv", "dir/b.csv"]);
    env.s3
        .delete_object()
        .bucket("round-trip")
        .key("dir/a.csv")
        .send()
        .await
        .unwrap();
    let err = env
        .s3
        .get_object()
        .bucket("round-trip")
        .key("dir/a.csv")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.as_service_error().is_some_and(|e| e.is_no_such_key()),
        "{err:?}"
    );
    let buckets = env.s3.list_buckets().send().await.unwrap();
    assert!(
        buckets
            .buckets()
            .iter()
            .any(|b| b.name() == Some("round-trip"))
    );
}

/// Sends one raw HTTP/1.1 request and reads the whole answer.
pub(crate) async fn raw(env: &Env, request: &str) -> String {
    let addr = env.url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

#[tokio::test]
async fn keys_never_escape_the_data_directory() {
    let env = Env::start().await;
    env.s3.create_bucket().bucket("jail").send().await.unwrap();
    env.s3.create_bucket().bucket("other").send().await.unwrap();
    env.put("other", "secret.txt", b"secret".to_vec()).await;
    for path in [
        "/jail/../other/secret.txt",
        "/jail/%2e%2e/other/secret.txt",
        "/jail/%2E%2E%2Fother%2Fsecret.txt",
        "/jail/..%2f..%2fcomprehend.db",
        "/jail//etc/passwd",
        "/..%2fcomprehend.db",
        "/jail/a%5c..%5c..%5ccomprehend.db",
    ] {
        let get = raw(
            &env,
            &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
        )
        .await;
        assert!(get.starts_with("HTTP/1.1 400"), "GET {path}: {get}");
        assert!(
            !get.contains("secret") || get.contains("<Code>InvalidArgument</Code>"),
            "GET {path} leaked: {get}"
        );
        let put = raw(
            &env,
            &format!("PUT {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nConnection: close\r\n\r\nevil!"),
        )
        .await;
        assert!(put.starts_with("HTTP/1.1 400"), "PUT {path}: {put}");
    }
    let copy = raw(
        &env,
        "PUT /jail/copy.txt HTTP/1.1\r\nHost: localhost\r\nx-amz-copy-source: /jail/../other/secret.txt\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(copy.starts_with("HTTP/1.1 400"), "copy: {copy}");
    // Nothing was written outside the bucket folders.
    let names: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    assert!(
        names.iter().all(|n| n.starts_with("comprehend.db")
            || ["s3", "models", "tmp", "reserve"].contains(&n.as_str())),
        "{names:?}"
    );
    assert_eq!(env.get("other", "secret.txt").await, b"secret");
}

#[tokio::test]
async fn comprehend_cannot_read_outside_a_bucket_either() {
    let env = Env::start().await;
    env.s3
        .create_bucket()
        .bucket("inputs")
        .send()
        .await
        .unwrap();
    let err = env
        .comprehend
        .create_document_classifier()
        .document_classifier_name("escape")
        .data_access_role_arn(crate::harness::ROLE)
        .language_code(aws_sdk_comprehend::types::LanguageCode::En)
        .input_data_config(
            aws_sdk_comprehend::types::DocumentClassifierInputDataConfig::builder()
                .s3_uri("s3://inputs/../../comprehend.db")
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(crate::harness::code(&err), "InvalidRequestException");
}
