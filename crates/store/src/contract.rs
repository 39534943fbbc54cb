//! The behaviour every object store backend must have, checked against the local
//! directory in this crate's tests and against an external S3 server (moto) in the
//! server's integration tests, so both backends behave alike.

use bytes::Bytes;

use crate::objects::{ObjectError, ObjectInfo, Objects, S3Uri};

/// Runs the contract against `bucket`, which must exist and be empty. Panics on a breach.
pub async fn check(objects: &Objects, bucket: &str) {
    let at = |key: &str| S3Uri {
        bucket: bucket.into(),
        key: key.into(),
    };
    objects
        .put(&at("train/a.csv"), Bytes::from_static(b"x,1\n"))
        .await
        .unwrap();
    objects
        .put(&at("train/b.csv"), Bytes::from_static(b"y,2\n"))
        .await
        .unwrap();
    objects
        .put(&at("training.csv"), Bytes::from_static(b"z,3\n"))
        .await
        .unwrap();
    assert_eq!(
        objects.get(&at("train/a.csv")).await.unwrap(),
        Bytes::from_static(b"x,1\n")
    );
    let keys = |list: Vec<ObjectInfo>| list.into_iter().map(|o| o.uri.key).collect::<Vec<_>>();
    assert_eq!(
        keys(objects.list(&at("train")).await.unwrap()),
        ["train/a.csv", "train/b.csv", "training.csv"]
    );
    assert_eq!(
        keys(objects.list(&at("train/")).await.unwrap()),
        ["train/a.csv", "train/b.csv"]
    );
    assert_eq!(
        keys(objects.list(&at("train/b")).await.unwrap()),
        ["train/b.csv"]
    );
    assert!(objects.list(&at("nothing-here")).await.unwrap().is_empty());
    assert!(matches!(
        objects.get(&at("train/zzz.csv")).await,
        Err(ObjectError::NotFound(_))
    ));
    assert!(objects.bucket_exists(bucket).await.unwrap());
    // Streaming reads and multipart uploads (async classification jobs use both).
    let chunks: Vec<Bytes> =
        futures::TryStreamExt::try_collect(objects.get_stream(&at("train/b.csv")).await.unwrap())
            .await
            .unwrap();
    assert_eq!(chunks.concat(), b"y,2\n");
    let file = std::env::temp_dir().join(format!("contract-{}-{bucket}.bin", std::process::id()));
    let big: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&file, &big).unwrap();
    objects
        .put_file(&at("big/upload.bin"), &file)
        .await
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(
        objects.get(&at("big/upload.bin")).await.unwrap().as_ref(),
        big.as_slice()
    );
    keys_as_s3_has_them(objects, bucket).await;
}

/// Keys are strings, not file names: long keys, a key that is also a "folder", overwrite,
/// delete then re-put below the deleted key, and one-level listings.
async fn keys_as_s3_has_them(objects: &Objects, bucket: &str) {
    let at = |key: &str| S3Uri {
        bucket: bucket.into(),
        key: key.into(),
    };
    let body = |text: &'static str| Bytes::from_static(text.as_bytes());
    // S3's longest key: 1,024 bytes, with a 600-byte segment (no file system allows that).
    let long = format!("long/{}/{}", "s".repeat(600), "k".repeat(1024 - 606));
    assert_eq!(long.len(), 1024);
    objects.put(&at(&long), body("long")).await.unwrap();
    assert_eq!(objects.get(&at(&long)).await.unwrap(), body("long"));
    // `pair/a` is an object and the folder of `pair/a/b`.
    objects.put(&at("pair/a"), body("a")).await.unwrap();
    objects.put(&at("pair/a/b"), body("b")).await.unwrap();
    assert_eq!(objects.get(&at("pair/a")).await.unwrap(), body("a"));
    assert_eq!(objects.get(&at("pair/a/b")).await.unwrap(), body("b"));
    // Overwrite.
    objects.put(&at("pair/a"), body("a, again")).await.unwrap();
    assert_eq!(objects.get(&at("pair/a")).await.unwrap(), body("a, again"));
    // Delete, then a key below the deleted one.
    objects.put(&at("cycle/dir"), body("dir")).await.unwrap();
    objects.delete(&at("cycle/dir")).await.unwrap();
    objects
        .put(&at("cycle/dir/sub"), body("sub"))
        .await
        .unwrap();
    assert!(matches!(
        objects.get(&at("cycle/dir")).await,
        Err(ObjectError::NotFound(_))
    ));
    assert_eq!(
        objects.get(&at("cycle/dir/sub")).await.unwrap(),
        body("sub")
    );
    let keys = |list: Vec<ObjectInfo>| list.into_iter().map(|o| o.uri.key).collect::<Vec<_>>();
    assert_eq!(
        keys(objects.list(&at("pair/")).await.unwrap()),
        ["pair/a", "pair/a/b"]
    );
    // One level at a time.
    let (files, folders) = objects.list_folder(&at("pair")).await.unwrap();
    assert_eq!(keys(files), ["pair/a"]);
    assert_eq!(folders, ["pair/a/"]);
    let (files, folders) = objects.list_folder(&at("")).await.unwrap();
    assert_eq!(keys(files), ["training.csv"]);
    assert_eq!(folders, ["big/", "cycle/", "long/", "pair/", "train/"]);
}
