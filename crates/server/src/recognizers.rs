//! Trained entity recognizers for serving: their files are read from the private model
//! store ([`ModelCache::load_bytes`], where recognizer training writes them by model key),
//! decoded once, and kept in a cache of their own — classifier models and recognizers are
//! different types.

use std::sync::Arc;

use comprehend_ner::Recognizer;

use crate::error::{Error, Result};
use crate::models::{Loaded, ModelCache};

/// Recognizer models, decoded lazily and cached by model key.
#[derive(Debug, Default)]
pub struct RecognizerCache {
    loaded: Loaded<Recognizer>,
}

impl RecognizerCache {
    /// The recognizer stored under `key` in `files`, from the cache or decoded from its file.
    pub async fn load(&self, files: &ModelCache, key: &str) -> Result<Arc<Recognizer>> {
        if let Some(model) = self.loaded.get(key) {
            return Ok(model);
        }
        let bytes = files.load_bytes(key).await?;
        let model = tokio::task::spawn_blocking(move || Recognizer::from_bytes(&bytes))
            .await
            .map_err(|e| internal(format!("model decoding: {e}")))?
            .map_err(|e| internal(format!("model {key} is unreadable: {e}")))?;
        let model = Arc::new(model);
        self.loaded.put(key, model.clone());
        Ok(model)
    }

    /// Forgets a recognizer (its version was deleted).
    pub fn forget(&self, key: &str) {
        self.loaded.forget(key);
    }
}

fn internal(message: String) -> Error {
    Error::Service(comprehend_protocol::ServiceError::internal(message))
}
