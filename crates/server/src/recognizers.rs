//! Trained entity recognizers for serving: read from the private model store (the
//! files under `<data-dir>/models` that recognizer training writes, by model key),
//! decoded once, and kept in a small cache. Classifier models have their own cache
//! ([`crate::models`]); the two engines' models are different types.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};

use comprehend_ner::Recognizer;
use object_store::ObjectStoreExt;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;

use crate::error::{Error, Result};

/// How many decoded recognizers stay in memory.
const CACHED: usize = 16;

/// Recognizer models, loaded lazily and cached by model key.
#[derive(Debug)]
pub struct RecognizerCache {
    files: LocalFileSystem,
    loaded: Mutex<VecDeque<(String, Arc<Recognizer>)>>,
}

impl RecognizerCache {
    /// Models under `dir` (the model store's folder, created if missing).
    pub fn new(dir: &Path) -> std::io::Result<RecognizerCache> {
        std::fs::create_dir_all(dir)?;
        let files = LocalFileSystem::new_with_prefix(dir).map_err(std::io::Error::other)?;
        Ok(RecognizerCache {
            files,
            loaded: Mutex::new(VecDeque::new()),
        })
    }

    /// The recognizer stored under `key`, from the cache or decoded from its file.
    pub async fn load(&self, key: &str) -> Result<Arc<Recognizer>> {
        if let Some(model) = self.cached(key) {
            return Ok(model);
        }
        let path =
            ObjectPath::parse(key).map_err(|e| internal(format!("bad model key {key}: {e}")))?;
        let bytes = self
            .files
            .get(&path)
            .await
            .map_err(|e| internal(format!("cannot read model {key}: {e}")))?
            .bytes()
            .await
            .map_err(|e| internal(format!("cannot read model {key}: {e}")))?;
        let model = tokio::task::spawn_blocking(move || Recognizer::from_bytes(&bytes))
            .await
            .map_err(|e| internal(format!("model decoding: {e}")))?
            .map_err(|e| internal(format!("model {key} is unreadable: {e}")))?;
        let model = Arc::new(model);
        if let Ok(mut loaded) = self.loaded.lock() {
            loaded.retain(|(k, _)| k != key);
            loaded.push_back((key.to_owned(), model.clone()));
            while loaded.len() > CACHED {
                loaded.pop_front();
            }
        }
        Ok(model)
    }

    /// Forgets a recognizer (its version was deleted).
    pub fn forget(&self, key: &str) {
        if let Ok(mut loaded) = self.loaded.lock() {
            loaded.retain(|(k, _)| k != key);
        }
    }

    fn cached(&self, key: &str) -> Option<Arc<Recognizer>> {
        let mut loaded = self.loaded.lock().ok()?;
        let index = loaded.iter().position(|(k, _)| k == key)?;
        let entry = loaded.remove(index)?;
        let model = entry.1.clone();
        loaded.push_back(entry);
        Some(model)
    }
}

fn internal(message: String) -> Error {
    Error::Service(comprehend_protocol::ServiceError::internal(message))
}
