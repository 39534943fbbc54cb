//! What the console reads besides the API: the objects the API points to (a trained
//! classifier's output archive) and the built-in S3 for its browser, through the same
//! object store the jobs use, and the live progress of training.

use std::sync::Arc;

use comprehend_console::Folder;
use comprehend_store::objects::{Backend, S3Uri};
use futures::StreamExt;

use crate::state::State;

/// What the console reads besides the API: the server's object store and training progress.
#[derive(Clone)]
pub(crate) struct ConsoleSource(pub(crate) Arc<State>);

impl comprehend_console::Source for ConsoleSource {
    /// Streams the object and gives up past `limit` bytes, so that an object replaced by
    /// something huge never fills memory.
    async fn read(&self, uri: &str, limit: usize) -> Option<Vec<u8>> {
        let uri = S3Uri::parse(uri).ok()?;
        let mut stream = self.0.objects.get_stream(&uri).await.ok()?;
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            bytes.extend_from_slice(&chunk.ok()?);
            if bytes.len() > limit {
                return None;
            }
        }
        Some(bytes)
    }

    async fn read_start(&self, uri: &str, bytes: usize) -> Option<Vec<u8>> {
        let uri = S3Uri::parse(uri).ok()?;
        let mut stream = self.0.objects.get_stream(&uri).await.ok()?;
        let mut start = Vec::new();
        while start.len() < bytes {
            match stream.next().await {
                Some(chunk) => start.extend_from_slice(&chunk.ok()?),
                None => break,
            }
        }
        start.truncate(bytes);
        Some(start)
    }

    async fn buckets(&self) -> Option<Vec<String>> {
        let Backend::Builtin(store) = self.0.objects.backend() else {
            return None;
        };
        let buckets = store.buckets().await.ok()?;
        Some(buckets.into_iter().map(|b| b.name).collect())
    }

    async fn folder(&self, bucket: &str, prefix: &str) -> Option<Folder> {
        let uri = S3Uri::parse(&format!("s3://{bucket}/{prefix}")).ok()?;
        if !self.0.objects.bucket_exists(bucket).await.ok()? {
            return None;
        }
        let (objects, folders) = self.0.objects.list_folder(&uri).await.ok()?;
        Some(Folder {
            folders,
            objects: objects.into_iter().map(|o| (o.uri.key, o.size)).collect(),
        })
    }

    fn progress(&self, arn: &str) -> Option<String> {
        self.0.progress.get(arn)
    }
}
