//! What the console reads besides the API: the objects the API points to (a trained
//! classifier's output archive), through the same object store the jobs use.

use std::sync::Arc;

use comprehend_store::objects::S3Uri;
use futures::StreamExt;

use crate::state::State;

/// The console's object reader: the server's object store.
#[derive(Clone)]
pub(crate) struct ConsoleObjects(pub(crate) Arc<State>);

impl comprehend_console::ObjectReader for ConsoleObjects {
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
}
