//! The store on its own: listings, atomic overwrites, interrupted writes, the start-up
//! sweep. (Both faces are tested through real clients in the server's integration tests
//! and in `comprehend_store::contract`.)

use bytes::Bytes;
use futures::TryStreamExt;

use crate::{Error, ListQuery, NewObject, S3Store};

fn body(text: &str) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + use<> {
    futures::stream::iter([Ok(Bytes::from(text.to_owned()))])
}

async fn store_with(keys: &[&str]) -> (tempfile::TempDir, S3Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = S3Store::open(dir.path()).await.unwrap();
    store.create_bucket("b", "us-east-1").await.unwrap();
    for key in keys {
        store
            .put("b", key, body(key), NewObject::default())
            .await
            .unwrap();
    }
    (dir, store)
}

async fn read(store: &S3Store, key: &str) -> Vec<u8> {
    let (record, file) = store.open_object("b", key).await.unwrap();
    let chunks: Vec<Bytes> = crate::content::file_stream(file, 0, record.size)
        .try_collect()
        .await
        .unwrap();
    chunks.concat()
}

#[tokio::test]
async fn listings_roll_up_folders_and_resume_after_tokens() {
    let odd = "f/\u{10FFFF}z";
    let (_dir, store) = store_with(&["f/a", "f/b/1", "f/b/2", odd, "g", "f/c/x/y"]).await;
    let mut entries = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let query = ListQuery {
            prefix: "f/",
            delimiter: Some("/"),
            after: after.as_deref(),
            max: 1,
        };
        let page = store.list("b", &query).await.unwrap();
        entries.extend(page.objects.into_iter().map(|o| o.key));
        entries.extend(page.prefixes);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(entries, ["f/a", "f/b/", "f/c/", odd]);
    let all = store
        .list(
            "b",
            &ListQuery {
                max: 1000,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(all.objects.len(), 6);
    assert!(all.next.is_none());
    assert!(matches!(
        store.list("nope", &ListQuery::default()).await,
        Err(Error::NoSuchBucket(_))
    ));
}

#[tokio::test]
async fn a_reader_keeps_the_object_it_opened_across_an_overwrite() {
    let (_dir, store) = store_with(&["k"]).await;
    let (record, file) = store.open_object("b", "k").await.unwrap();
    store
        .put("b", "k", body("new bytes"), NewObject::default())
        .await
        .unwrap();
    store.delete("b", "k").await.unwrap();
    let old: Vec<Bytes> = crate::content::file_stream(file, 0, record.size)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(old.concat(), b"k");
    store
        .put("b", "k", body("again"), NewObject::default())
        .await
        .unwrap();
    assert_eq!(read(&store, "k").await, b"again");
}

#[tokio::test]
async fn an_interrupted_body_changes_nothing() {
    let (dir, store) = store_with(&["k"]).await;
    let broken = futures::stream::iter([
        Ok(Bytes::from_static(b"partial")),
        Err(std::io::Error::other("client went away")),
    ]);
    let err = store
        .put("b", "k", broken, NewObject::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::IncompleteBody(_)), "{err}");
    assert_eq!(read(&store, "k").await, b"k");
    let tmp = std::fs::read_dir(dir.path().join(".store/tmp"))
        .unwrap()
        .count();
    assert_eq!(tmp, 0);
}

#[tokio::test]
async fn unreferenced_content_files_are_swept_at_open() {
    let (dir, store) = store_with(&["k"]).await;
    let stray = store.content.path("ffffffffffffffffffffffffffffffff");
    std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
    std::fs::write(&stray, "left by a killed process").unwrap();
    drop(store);
    let store = S3Store::open(dir.path()).await.unwrap();
    assert!(!stray.exists());
    assert_eq!(read(&store, "k").await, b"k");
}

#[tokio::test]
async fn buckets_with_objects_or_uploads_are_not_deleted() {
    let (_dir, store) = store_with(&["k"]).await;
    assert!(matches!(
        store.delete_bucket("b").await,
        Err(Error::BucketNotEmpty(_))
    ));
    store.delete("b", "k").await.unwrap();
    let upload = store
        .create_upload("b", "u", NewObject::default())
        .await
        .unwrap();
    assert!(matches!(
        store.delete_bucket("b").await,
        Err(Error::BucketNotEmpty(_))
    ));
    store
        .abort_upload("b", "u", &upload.upload_id)
        .await
        .unwrap();
    store.delete_bucket("b").await.unwrap();
    assert!(matches!(
        store.bucket("b").await,
        Err(Error::NoSuchBucket(_))
    ));
}

#[tokio::test]
async fn object_store_listings_skip_keys_that_are_no_path() {
    use futures::StreamExt;
    use object_store::ObjectStore;
    let (_dir, store) = store_with(&["m/", "m/x", "a//b", "plain"]).await;
    let bucket = crate::BucketStore::new(std::sync::Arc::new(store), "b");
    let mut listed: Vec<String> = bucket
        .list(None)
        .map(|meta| meta.unwrap().location.to_string())
        .collect()
        .await;
    listed.sort();
    assert_eq!(listed, ["m/x", "plain"]);
}
