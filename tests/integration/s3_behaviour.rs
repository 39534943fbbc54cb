//! The built-in S3 behaves like S3 (issue #16): keys are strings, not file names; S3's
//! error codes; multipart, copy, ranges, tags, paginated listings; bounded aws-chunked
//! decoding; data directories of the previous layout imported. Driven by aws-sdk-s3, the
//! AWS CLI, boto3 and raw HTTP.

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketLocationConstraint, CompletedMultipartUpload, CompletedPart, CreateBucketConfiguration,
    Delete, ObjectIdentifier, Tag, Tagging,
};

use crate::harness::{Env, code, create_classifier, finished_classifier, fixture_path, tool};
use crate::s3::raw;

/// An S3 client signing for `region`.
fn s3_in(env: &Env, region: &str) -> aws_sdk_s3::Client {
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(&env.url)
        .force_path_style(true)
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "tests"))
        .retry_config(aws_sdk_s3::config::retry::RetryConfig::disabled())
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

async fn get_err(env: &Env, bucket: &str, key: &str) -> String {
    let err = env
        .s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap_err();
    code(&err)
}

#[tokio::test]
async fn keys_are_strings_not_file_names() {
    let env = Env::start().await;
    env.s3.create_bucket().bucket("keys").send().await.unwrap();
    // S3's longest key, one 1,000-byte segment; one byte more is refused.
    let long = format!("x/{}", "k".repeat(1022));
    env.put("keys", &long, b"long".to_vec()).await;
    assert_eq!(env.get("keys", &long).await, b"long");
    let err = env
        .s3
        .put_object()
        .bucket("keys")
        .key(format!("{long}z"))
        .body(ByteStream::from_static(b"x"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "KeyTooLongError");
    // `a/b` then `a`: both exist.
    env.put("keys", "a/b", b"b".to_vec()).await;
    assert_eq!(get_err(&env, "keys", "a").await, "NoSuchKey");
    env.put("keys", "a", b"a".to_vec()).await;
    assert_eq!(env.get("keys", "a").await, b"a");
    assert_eq!(env.get("keys", "a/b").await, b"b");
    // PUT dir, DELETE dir, PUT dir/sub: dir is gone, dir/sub is there.
    env.put("keys", "dir", b"dir".to_vec()).await;
    env.s3
        .delete_object()
        .bucket("keys")
        .key("dir")
        .send()
        .await
        .unwrap();
    env.put("keys", "dir/sub", b"sub".to_vec()).await;
    assert_eq!(get_err(&env, "keys", "dir").await, "NoSuchKey");
    let head = env.s3.head_object().bucket("keys").key("dir").send().await;
    assert_eq!(
        head.unwrap_err().raw_response().unwrap().status().as_u16(),
        404
    );
    assert_eq!(env.get("keys", "dir/sub").await, b"sub");
    // Overwrite.
    env.put("keys", "a", b"a, again".to_vec()).await;
    assert_eq!(env.get("keys", "a").await, b"a, again");
}

#[tokio::test]
async fn copy_ranges_and_tags() {
    let env = Env::start().await;
    env.s3
        .create_bucket()
        .bucket("things")
        .send()
        .await
        .unwrap();
    env.s3
        .put_object()
        .bucket("things")
        .key("src.txt")
        .content_type("text/plain")
        .metadata("origin", "test")
        .tagging("team=ml&stage=raw")
        .body(ByteStream::from_static(b"0123456789"))
        .send()
        .await
        .unwrap();
    let range = env
        .s3
        .get_object()
        .bucket("things")
        .key("src.txt")
        .range("bytes=2-5")
        .send()
        .await
        .unwrap();
    assert_eq!(range.content_range(), Some("bytes 2-5/10"));
    assert_eq!(
        range.body.collect().await.unwrap().into_bytes().as_ref(),
        b"2345"
    );
    env.s3
        .copy_object()
        .bucket("things")
        .key("copy/dst.txt")
        .copy_source("things/src.txt")
        .send()
        .await
        .unwrap();
    let head = env
        .s3
        .head_object()
        .bucket("things")
        .key("copy/dst.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_type(), Some("text/plain"));
    assert_eq!(
        head.metadata().unwrap().get("origin").map(String::as_str),
        Some("test")
    );
    assert_eq!(env.get("things", "copy/dst.txt").await, b"0123456789");
    tags_are_kept_replaced_and_removed(&env).await;
}

/// `things/src.txt` was put with the tags `team=ml&stage=raw`.
async fn tags_are_kept_replaced_and_removed(env: &Env) {
    let tags = env
        .s3
        .get_object_tagging()
        .bucket("things")
        .key("src.txt")
        .send()
        .await
        .unwrap();
    let pairs: Vec<_> = tags
        .tag_set()
        .iter()
        .map(|t| (t.key(), t.value()))
        .collect();
    assert_eq!(pairs, [("team", "ml"), ("stage", "raw")]);
    let tagging = Tagging::builder()
        .tag_set(Tag::builder().key("k").value("v").build().unwrap())
        .build()
        .unwrap();
    env.s3
        .put_object_tagging()
        .bucket("things")
        .key("src.txt")
        .tagging(tagging)
        .send()
        .await
        .unwrap();
    let tags = env
        .s3
        .get_object_tagging()
        .bucket("things")
        .key("src.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tag_set().len(), 1);
    env.s3
        .delete_object_tagging()
        .bucket("things")
        .key("src.txt")
        .send()
        .await
        .unwrap();
    let tags = env
        .s3
        .get_object_tagging()
        .bucket("things")
        .key("src.txt")
        .send()
        .await
        .unwrap();
    assert!(tags.tag_set().is_empty());
    let err = env
        .s3
        .get_object_tagging()
        .bucket("things")
        .key("none")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NoSuchKey");
}

/// Uploads part `n` of the upload `id` of `parts/<key>`.
async fn upload_part(env: &Env, (key, id): (&str, &str), n: i32, body: Vec<u8>) -> CompletedPart {
    let part = env
        .s3
        .upload_part()
        .bucket("parts")
        .key(key)
        .upload_id(id)
        .part_number(n)
        .body(ByteStream::from(body))
        .send()
        .await
        .unwrap();
    CompletedPart::builder()
        .part_number(n)
        .e_tag(part.e_tag().unwrap())
        .build()
}

#[tokio::test]
async fn multipart_uploads_list_complete_and_abort() {
    let env = Env::start().await;
    env.s3.create_bucket().bucket("parts").send().await.unwrap();
    let first: Vec<u8> = (0..5 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let id = env
        .s3
        .create_multipart_upload()
        .bucket("parts")
        .key("big.bin")
        .content_type("application/octet-stream")
        .send()
        .await
        .unwrap()
        .upload_id
        .unwrap();
    let done = vec![
        upload_part(&env, ("big.bin", &id), 1, first.clone()).await,
        upload_part(&env, ("big.bin", &id), 2, b"tail".to_vec()).await,
    ];
    let listed = env
        .s3
        .list_parts()
        .bucket("parts")
        .key("big.bin")
        .upload_id(&id)
        .send()
        .await
        .unwrap();
    let sizes: Vec<_> = listed
        .parts()
        .iter()
        .map(|p| (p.part_number(), p.size()))
        .collect();
    assert_eq!(
        sizes,
        [(Some(1), Some(5 * 1024 * 1024)), (Some(2), Some(4))]
    );
    let uploads = env
        .s3
        .list_multipart_uploads()
        .bucket("parts")
        .send()
        .await
        .unwrap();
    assert_eq!(uploads.uploads().len(), 1);
    let completed = env
        .s3
        .complete_multipart_upload()
        .bucket("parts")
        .key("big.bin")
        .upload_id(&id)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .set_parts(Some(done))
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert!(
        completed.e_tag().unwrap().ends_with("-2\""),
        "{:?}",
        completed.e_tag()
    );
    let mut whole = first;
    whole.extend_from_slice(b"tail");
    assert_eq!(env.get("parts", "big.bin").await, whole);
    an_aborted_upload_is_gone(&env).await;
}

/// A second upload, aborted: gone from the listing, its parts refused.
async fn an_aborted_upload_is_gone(env: &Env) {
    let id = env
        .s3
        .create_multipart_upload()
        .bucket("parts")
        .key("gone")
        .send()
        .await
        .unwrap()
        .upload_id
        .unwrap();
    env.s3
        .upload_part()
        .bucket("parts")
        .key("gone")
        .upload_id(&id)
        .part_number(1)
        .body(ByteStream::from_static(b"small"))
        .send()
        .await
        .unwrap();
    env.s3
        .abort_multipart_upload()
        .bucket("parts")
        .key("gone")
        .upload_id(&id)
        .send()
        .await
        .unwrap();
    let uploads = env
        .s3
        .list_multipart_uploads()
        .bucket("parts")
        .send()
        .await
        .unwrap();
    assert!(uploads.uploads().is_empty());
    let err = env
        .s3
        .list_parts()
        .bucket("parts")
        .key("gone")
        .upload_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NoSuchUpload");
    assert_eq!(get_err(env, "parts", "gone").await, "NoSuchKey");
}

#[tokio::test]
async fn a_small_first_part_is_entity_too_small() {
    let env = Env::start().await;
    env.s3.create_bucket().bucket("parts").send().await.unwrap();
    let id = env
        .s3
        .create_multipart_upload()
        .bucket("parts")
        .key("k")
        .send()
        .await
        .unwrap()
        .upload_id
        .unwrap();
    let mut done = Vec::new();
    for n in [1, 2] {
        let part = env
            .s3
            .upload_part()
            .bucket("parts")
            .key("k")
            .upload_id(&id)
            .part_number(n)
            .body(ByteStream::from_static(b"tiny"))
            .send()
            .await
            .unwrap();
        done.push(
            CompletedPart::builder()
                .part_number(n)
                .e_tag(part.e_tag().unwrap())
                .build(),
        );
    }
    let err = env
        .s3
        .complete_multipart_upload()
        .bucket("parts")
        .key("k")
        .upload_id(&id)
        .multipart_upload(
            CompletedMultipartUpload::builder()
                .set_parts(Some(done))
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "EntityTooSmall");
}

/// Every page of a ListObjectsV2: (keys, common prefixes) per page.
async fn pages(
    env: &Env,
    prefix: &str,
    delimiter: Option<&str>,
    max: i32,
) -> Vec<(Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = env
            .s3
            .list_objects_v2()
            .bucket("list")
            .prefix(prefix)
            .set_delimiter(delimiter.map(str::to_owned))
            .max_keys(max)
            .set_continuation_token(token.clone())
            .send()
            .await
            .unwrap();
        let keys = page
            .contents()
            .iter()
            .filter_map(|o| o.key().map(str::to_owned))
            .collect();
        let prefixes = page
            .common_prefixes()
            .iter()
            .filter_map(|p| p.prefix().map(str::to_owned))
            .collect();
        out.push((keys, prefixes));
        assert!(out.len() < 20, "listing does not end");
        match page.next_continuation_token() {
            Some(next) if page.is_truncated() == Some(true) => token = Some(next.to_owned()),
            _ => return out,
        }
    }
}

#[tokio::test]
async fn listings_paginate_with_delimiters() {
    let env = Env::start().await;
    env.s3.create_bucket().bucket("list").send().await.unwrap();
    for key in [
        "p/a/1", "p/a/2", "p/a/b/3", "p/b/1", "p/c", "p/d", "p/d/1", "q",
    ] {
        env.put("list", key, key.as_bytes().to_vec()).await;
    }
    let s = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        pages(&env, "p/", Some("/"), 2).await,
        [
            (s(&[]), s(&["p/a/", "p/b/"])),
            (s(&["p/c", "p/d"]), s(&[])),
            (s(&[]), s(&["p/d/"])),
        ]
    );
    assert_eq!(
        pages(&env, "p/a/", Some("/"), 1000).await,
        [(s(&["p/a/1", "p/a/2"]), s(&["p/a/b/"]))]
    );
    let flat: Vec<String> = pages(&env, "", None, 3)
        .await
        .into_iter()
        .flat_map(|(k, _)| k)
        .collect();
    assert_eq!(
        flat,
        s(&[
            "p/a/1", "p/a/2", "p/a/b/3", "p/b/1", "p/c", "p/d", "p/d/1", "q"
        ])
    );
    let after = env
        .s3
        .list_objects_v2()
        .bucket("list")
        .start_after("p/d")
        .send()
        .await
        .unwrap();
    let keys: Vec<_> = after.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["p/d/1", "q"]);
}

#[tokio::test]
async fn error_codes_are_s3s() {
    let env = Env::start().await;
    assert_eq!(get_err(&env, "no-bucket", "k").await, "NoSuchBucket");
    env.s3.create_bucket().bucket("errs").send().await.unwrap();
    assert_eq!(get_err(&env, "errs", "k").await, "NoSuchKey");
    // Re-creating your bucket: 200 in us-east-1, BucketAlreadyOwnedByYou elsewhere.
    env.s3.create_bucket().bucket("errs").send().await.unwrap();
    let eu = s3_in(&env, "eu-west-1");
    let in_eu = CreateBucketConfiguration::builder()
        .location_constraint(BucketLocationConstraint::EuWest1)
        .build();
    eu.create_bucket()
        .bucket("errs-eu")
        .create_bucket_configuration(in_eu.clone())
        .send()
        .await
        .unwrap();
    let err = eu
        .create_bucket()
        .bucket("errs-eu")
        .create_bucket_configuration(in_eu)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "BucketAlreadyOwnedByYou");
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 409);
    // The signing region alone is enough.
    let err = eu.create_bucket().bucket("errs").send().await.unwrap_err();
    assert_eq!(code(&err), "BucketAlreadyOwnedByYou");
    let location = env
        .s3
        .get_bucket_location()
        .bucket("errs-eu")
        .send()
        .await
        .unwrap();
    assert_eq!(
        location.location_constraint().map(|l| l.as_str()),
        Some("eu-west-1")
    );
    env.s3.head_bucket().bucket("errs-eu").send().await.unwrap();
    deletes_answer_s3s_errors(&env).await;
    error_bodies_are_complete(&env).await;
}

/// DeleteBucket of a bucket with an object; DeleteObjects on a missing bucket.
async fn deletes_answer_s3s_errors(env: &Env) {
    env.put("errs", "k", b"v".to_vec()).await;
    let err = env
        .s3
        .delete_bucket()
        .bucket("errs")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "BucketNotEmpty");
    let delete = Delete::builder()
        .objects(ObjectIdentifier::builder().key("k").build().unwrap())
        .build()
        .unwrap();
    let err = env
        .s3
        .delete_objects()
        .bucket("no-bucket")
        .delete(delete.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NoSuchBucket");
    let deleted = env
        .s3
        .delete_objects()
        .bucket("errs")
        .delete(delete)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.deleted().len(), 1);
    env.s3.delete_bucket().bucket("errs").send().await.unwrap();
    let err = env
        .s3
        .head_bucket()
        .bucket("errs")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 404);
}

/// Error bodies carry Code, Message, Resource and RequestId.
async fn error_bodies_are_complete(env: &Env) {
    let answer = raw(
        env,
        "GET /errs-eu/missing.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    for part in [
        "<Code>NoSuchKey</Code>",
        "<Message>The specified key does not exist.</Message>",
        "<Resource>/errs-eu/missing.txt</Resource>",
        "<RequestId>",
    ] {
        assert!(answer.contains(part), "{part} in {answer}");
    }
}

#[tokio::test]
async fn malformed_aws_chunked_bodies_answer_400() {
    let env = Env::start().await;
    env.s3
        .create_bucket()
        .bucket("chunks")
        .send()
        .await
        .unwrap();
    let chunked = |body: &str, declared: &str| {
        format!(
            "PUT /chunks/k HTTP/1.1\r\nHost: localhost\r\nContent-Encoding: aws-chunked\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\n{declared}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    for body in [
        "ffffffffffffffff\r\nabc",
        "5\r\nab",
        "zz\r\n",
        "3\r\nabcXY",
        "4\r\nabcd\r\n0\r\n\r\n",
    ] {
        let answer = raw(&env, &chunked(body, "x-amz-decoded-content-length: 3\r\n")).await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{body:?}: {answer}");
        assert!(answer.contains("<Code>IncompleteBody</Code>"), "{answer}");
    }
    // S3 requires the decoded length.
    let answer = raw(&env, &chunked("3\r\nabc\r\n0\r\n\r\n", "")).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(
        answer.contains("<Code>MissingContentLength</Code>"),
        "{answer}"
    );
    assert_eq!(get_err(&env, "chunks", "k").await, "NoSuchKey");
    // A well-formed one is stored decoded.
    let body = "3;chunk-signature=x\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
    let request = format!(
        "PUT /chunks/k HTTP/1.1\r\nHost: localhost\r\nContent-Encoding: aws-chunked\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\nx-amz-decoded-content-length: 3\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    assert!(raw(&env, &request).await.starts_with("HTTP/1.1 200"));
    assert_eq!(env.get("chunks", "k").await, b"abc");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_classifier_trains_from_a_600_byte_key() {
    let env = Env::start().await;
    let key = format!(
        "train/{}/partial.csv",
        "d".repeat(600 - "train//partial.csv".len())
    );
    assert_eq!(key.len(), 600);
    env.bucket_with("long-keys", &[(key.as_str(), "wordnet-small/partial.csv")])
        .await;
    let arn = create_classifier(&env, "long-key", None, &format!("s3://long-keys/{key}")).await;
    let props = finished_classifier(&env.comprehend, &arn).await;
    assert_eq!(
        props.status(),
        Some(&aws_sdk_comprehend::types::ModelStatus::Trained),
        "{:?}",
        props.message()
    );
}

fn aws(env: &Env, args: &[&str]) -> std::process::Output {
    std::process::Command::new(tool("aws"))
        .args(["--endpoint-url", &env.url, "--region", "us-east-1"])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        // No retries: a stalled request must fail the test, not hide behind a retry.
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("aws runs")
}

fn files(root: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_s3_sync_round_trips_a_folder_tree() {
    let env = Env::start().await;
    let up = tempfile::tempdir().unwrap();
    for (path, body) in [
        ("a.txt", "a"),
        ("data/train.csv", "x,1\n"),
        ("data/nested/deep/file with spaces+plus.csv", "y,2\n"),
        ("data/nested/ünïcode.txt", "z"),
        ("empty.txt", ""),
    ] {
        let file = up.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, body).unwrap();
    }
    let run = |args: &[&str]| {
        let out = aws(&env, args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["s3", "mb", "s3://synced"]);
    run(&[
        "s3",
        "sync",
        up.path().to_str().unwrap(),
        "s3://synced/tree/",
    ]);
    let down = tempfile::tempdir().unwrap();
    run(&[
        "s3",
        "sync",
        "s3://synced/tree/",
        down.path().to_str().unwrap(),
    ]);
    assert_eq!(files(up.path()), files(down.path()));
    // A second sync uploads nothing.
    let again = aws(
        &env,
        &[
            "s3",
            "sync",
            up.path().to_str().unwrap(),
            "s3://synced/tree/",
        ],
    );
    assert!(
        String::from_utf8_lossy(&again.stdout).trim().is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_sees_s3s_answers() {
    let env = Env::start().await;
    let script = r#"
import sys, boto3, botocore
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1")
s3.create_bucket(Bucket="py")
s3.create_bucket(Bucket="py")  # us-east-1: owned re-create is a no-op
long = "k/" + "x" * 1022
s3.put_object(Bucket="py", Key=long, Body=b"long")
assert s3.get_object(Bucket="py", Key=long)["Body"].read() == b"long"
s3.put_object(Bucket="py", Key="a/b", Body=b"b")
s3.put_object(Bucket="py", Key="a", Body=b"a")
listed = s3.list_objects_v2(Bucket="py", Delimiter="/")
assert [p["Prefix"] for p in listed["CommonPrefixes"]] == ["a/", "k/"], listed
assert [o["Key"] for o in listed["Contents"]] == ["a"], listed
for bucket, key, expected in [("none", "a", "NoSuchBucket"), ("py", "none", "NoSuchKey")]:
    try:
        s3.get_object(Bucket=bucket, Key=key)
        raise SystemExit("no error")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == expected, e.response
        assert e.response["Error"]["Message"], e.response
try:
    s3.delete_bucket(Bucket="py")
    raise SystemExit("no error")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "BucketNotEmpty", e.response
print("boto3 S3 OK")
"#;
    let out = std::process::Command::new(tool("python3"))
        .args(["-c", script, &env.url])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("boto3 S3 OK"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_s3s_fs_data_directory_is_imported() {
    use base64::Engine;
    let old = tempfile::tempdir().unwrap();
    let s3 = old.path().join("s3");
    std::fs::create_dir_all(s3.join("old-bucket/train/nested")).unwrap();
    std::fs::create_dir_all(s3.join("empty-bucket")).unwrap();
    std::fs::write(s3.join("old-bucket/train/a.csv"), "A,one\n").unwrap();
    std::fs::write(s3.join("old-bucket/train/nested/b.csv"), "B,two\n").unwrap();
    std::fs::write(s3.join("old-bucket/top.txt"), "top").unwrap();
    std::fs::create_dir_all(s3.join("old-bucket/wordnet")).unwrap();
    std::fs::copy(
        fixture_path("wordnet-small/partial.csv"),
        s3.join("old-bucket/wordnet/partial.csv"),
    )
    .unwrap();
    // s3s-fs's sidecar files in the root: metadata, internal info, an interrupted write.
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    std::fs::write(
        s3.join(format!(
            ".bucket-{}.object-{}.metadata.json",
            b64("old-bucket"),
            b64("train/a.csv")
        )),
        r#"{"user_metadata":{"origin":"old"},"content_type":"text/csv"}"#,
    )
    .unwrap();
    std::fs::write(
        s3.join(format!(
            ".bucket-{}.object-{}.internal.json",
            b64("old-bucket"),
            b64("top.txt")
        )),
        r#"{"e_tag":"0123456789abcdef0123456789abcdef-2"}"#,
    )
    .unwrap();
    std::fs::write(s3.join(".tmp.0.internal.part"), "partial").unwrap();
    let dir = old.path().to_owned();
    let env = Env::start_with(move |c| c.data_dir = dir).await;
    assert_eq!(env.get("old-bucket", "train/a.csv").await, b"A,one\n");
    assert_eq!(
        env.get("old-bucket", "train/nested/b.csv").await,
        b"B,two\n"
    );
    let head = env
        .s3
        .head_object()
        .bucket("old-bucket")
        .key("train/a.csv")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_type(), Some("text/csv"));
    assert_eq!(
        head.metadata().unwrap().get("origin").map(String::as_str),
        Some("old")
    );
    let head = env
        .s3
        .head_object()
        .bucket("old-bucket")
        .key("top.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(head.e_tag(), Some("\"0123456789abcdef0123456789abcdef-2\""));
    let buckets = env.s3.list_buckets().send().await.unwrap();
    let names: Vec<_> = buckets.buckets().iter().filter_map(|b| b.name()).collect();
    assert_eq!(names, ["empty-bucket", "old-bucket"]);
    // The old layout is moved aside, not left where it would be imported again.
    assert!(!s3.join("old-bucket").exists());
    assert!(s3.join(".s3s-fs-imported/old-bucket/train/a.csv").exists());
    assert!(!s3.join(".tmp.0.internal.part").exists());
    // Comprehend reads the imported data too.
    let arn = create_classifier(&env, "imported", None, "s3://old-bucket/wordnet/").await;
    let props = finished_classifier(&env.comprehend, &arn).await;
    assert_eq!(
        props.status(),
        Some(&aws_sdk_comprehend::types::ModelStatus::Trained),
        "{:?}",
        props.message()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_s3_cp_of_a_large_file_goes_through_multipart_and_part_copies() {
    let env = Env::start().await;
    let dir = tempfile::tempdir().unwrap();
    let big: Vec<u8> = (0..17 * 1024 * 1024u32).map(|i| (i % 253) as u8).collect();
    let file = dir.path().join("big.bin");
    std::fs::write(&file, &big).unwrap();
    let run = |args: &[&str]| {
        let out = aws(&env, args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["s3", "mb", "s3://large"]);
    // Over the CLI's 8 MiB threshold: CreateMultipartUpload, UploadPart ×3, Complete.
    run(&["s3", "cp", file.to_str().unwrap(), "s3://large/big.bin"]);
    // S3 to S3 over the threshold: UploadPartCopy.
    run(&["s3", "cp", "s3://large/big.bin", "s3://large/copy/big.bin"]);
    let back = dir.path().join("back.bin");
    run(&[
        "s3",
        "cp",
        "s3://large/copy/big.bin",
        back.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&back).unwrap() == big, "the copy differs");
    let head = env
        .s3
        .head_object()
        .bucket("large")
        .key("big.bin")
        .send()
        .await
        .unwrap();
    assert!(
        head.e_tag().unwrap().ends_with("-3\""),
        "{:?}",
        head.e_tag()
    );
}

/// A PUT with `Expect: 100-continue` whose final answer comes without `100 Continue`
/// (empty body, or an error before the body is read) ends its connection: botocore would
/// otherwise misread the connection's next expect-continue response and wait for its
/// read timeout (`aws s3 sync` of a tree with an empty file stalled now and then).
#[tokio::test]
async fn expect_continue_without_interim_answer_closes_the_connection() {
    let env = Env::start().await;
    env.s3
        .create_bucket()
        .bucket("expect")
        .send()
        .await
        .unwrap();
    for (path, length) in [("/expect/empty.txt", 0), ("/missing-bucket/a.txt", 1)] {
        let request = format!(
            "PUT {path} HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: {length}\r\n\r\n"
        );
        // Without `Connection: close` the server keeps the connection open and this read
        // never ends.
        let answer = tokio::time::timeout(std::time::Duration::from_secs(20), raw(&env, &request))
            .await
            .unwrap_or_else(|_| panic!("PUT {path}: the connection stayed open"));
        assert!(
            answer.to_ascii_lowercase().contains("connection: close"),
            "PUT {path}: {answer}"
        );
    }
    assert!(env.get("expect", "empty.txt").await.is_empty());
}
