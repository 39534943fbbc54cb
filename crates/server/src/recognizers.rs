//! Trained entity recognizers for serving: their files are read from the private model
//! store ([`ModelCache::load_bytes`], where recognizer training writes them by model key),
//! decoded once, and kept in a cache of their own — classifier models and recognizers are
//! different types.

use std::sync::Arc;

use comprehend_ner::Recognizer;

use crate::error::Result;
use crate::models::{Decode, Loaded, ModelCache};

impl Decode for Recognizer {
    fn decode(bytes: &[u8]) -> std::result::Result<Recognizer, String> {
        Recognizer::from_bytes(bytes).map_err(|e| e.to_string())
    }
}

/// Recognizer models, decoded lazily and cached by model key.
#[derive(Debug, Default)]
pub struct RecognizerCache {
    loaded: Loaded<Recognizer>,
}

impl RecognizerCache {
    /// The recognizer stored under `key` in `files`, from the cache or decoded from its file.
    pub async fn load(&self, files: &ModelCache, key: &str) -> Result<Arc<Recognizer>> {
        self.loaded.load(files, key).await
    }

    /// Forgets a recognizer (its version was deleted).
    pub fn forget(&self, key: &str) {
        self.loaded.forget(key);
    }
}
