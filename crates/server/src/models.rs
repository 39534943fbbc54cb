//! Trained models: written once as files in the private model store (an object_store
//! on the data directory), loaded lazily on first use, and kept in a small cache.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use comprehend_ml::Model;
use comprehend_ner::Recognizer;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStoreExt, PutPayload};

use crate::error::{Error, Result};

/// How many loaded models stay in memory.
const CACHED_MODELS: usize = 16;

/// The model store and its cache.
#[derive(Debug)]
pub struct ModelCache {
    files: LocalFileSystem,
    loaded: Loaded<Model>,
}

/// Decoded models by key, the most recently used last, at most [`CACHED_MODELS`] of them.
/// Classifiers and entity recognizers each keep one (they are different types).
#[derive(Debug)]
pub struct Loaded<T>(Mutex<VecDeque<(String, Arc<T>)>>);

impl<T> Default for Loaded<T> {
    fn default() -> Self {
        Loaded(Mutex::new(VecDeque::new()))
    }
}

impl<T> Loaded<T> {
    /// The model cached under `key`, now the most recently used.
    pub fn get(&self, key: &str) -> Option<Arc<T>> {
        let mut loaded = self.0.lock().ok()?;
        let index = loaded.iter().position(|(k, _)| k == key)?;
        let entry = loaded.remove(index)?;
        let model = entry.1.clone();
        loaded.push_back(entry);
        Some(model)
    }

    /// Caches `model` under `key`, dropping the least recently used beyond the bound.
    pub fn put(&self, key: &str, model: Arc<T>) {
        if let Ok(mut loaded) = self.0.lock() {
            loaded.retain(|(k, _)| k != key);
            loaded.push_back((key.to_owned(), model));
            while loaded.len() > CACHED_MODELS {
                loaded.pop_front();
            }
        }
    }

    /// Forgets the model under `key` (its file was deleted).
    pub fn forget(&self, key: &str) {
        if let Ok(mut loaded) = self.0.lock() {
            loaded.retain(|(k, _)| k != key);
        }
    }
}

/// A model type read back from its file's bytes (a classifier's `Model`, a `Recognizer`).
pub trait Decode: Sized + Send + 'static {
    /// Decodes a model file.
    fn decode(bytes: &[u8]) -> std::result::Result<Self, String>;
}

impl Decode for Model {
    fn decode(bytes: &[u8]) -> std::result::Result<Model, String> {
        Model::from_bytes(bytes).map_err(|e| e.to_string())
    }
}

impl Decode for Recognizer {
    fn decode(bytes: &[u8]) -> std::result::Result<Recognizer, String> {
        Recognizer::from_bytes(bytes).map_err(|e| e.to_string())
    }
}

impl<T: Decode + Sync> Loaded<T> {
    /// The model stored under `key` in `files`, from this cache or decoded from its file
    /// (on a blocking thread: a large model takes a while).
    pub async fn load(&self, files: &ModelCache, key: &str) -> Result<Arc<T>> {
        if let Some(model) = self.get(key) {
            return Ok(model);
        }
        let bytes = files.load_bytes(key).await?;
        let model = tokio::task::spawn_blocking(move || T::decode(&bytes))
            .await
            .map_err(|e| internal(format!("model decoding: {e}")))?
            .map_err(|e| internal(format!("model {key} is unreadable: {e}")))?;
        let model = Arc::new(model);
        self.put(key, model.clone());
        Ok(model)
    }
}

impl ModelCache {
    /// Models under `dir` (created if missing).
    pub fn new(dir: &Path) -> std::io::Result<ModelCache> {
        std::fs::create_dir_all(dir)?;
        let files = LocalFileSystem::new_with_prefix(dir)
            .map_err(std::io::Error::other)?
            .with_automatic_cleanup(true);
        Ok(ModelCache {
            files,
            loaded: Loaded::default(),
        })
    }

    /// Stores a model under `key` and caches it.
    pub async fn save(&self, key: &str, model: Arc<Model>) -> Result<()> {
        let bytes = {
            let model = model.clone();
            tokio::task::spawn_blocking(move || model.to_bytes())
                .await
                .map_err(|e| internal(format!("model encoding: {e}")))?
        };
        self.save_bytes(key, bytes).await?;
        self.loaded.put(key, model);
        Ok(())
    }

    /// The model stored under `key`, from the cache or loaded from its file.
    pub async fn load(&self, key: &str) -> Result<Arc<Model>> {
        self.loaded.load(self, key).await
    }

    /// Deletes a model file and forgets it.
    pub async fn delete(&self, key: &str) -> Result<()> {
        self.loaded.forget(key);
        match self.files.delete(&path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(internal(format!("cannot delete model {key}: {e}"))),
        }
    }

    // --- Model files (also entity recognizers', cached in `State::recognizers`) -------

    /// Stores an already-encoded model file under `key` (an entity recognizer's
    /// `Recognizer::to_bytes`); the cache of classifier models is not involved.
    pub async fn save_bytes(&self, key: &str, bytes: Vec<u8>) -> Result<()> {
        self.files
            .put(&path(key)?, PutPayload::from(Bytes::from(bytes)))
            .await
            .map_err(|e| internal(format!("cannot write model {key}: {e}")))?;
        Ok(())
    }

    /// The bytes of the model file stored under `key`.
    pub async fn load_bytes(&self, key: &str) -> Result<Bytes> {
        self.files
            .get(&path(key)?)
            .await
            .map_err(|e| internal(format!("cannot read model {key}: {e}")))?
            .bytes()
            .await
            .map_err(|e| internal(format!("cannot read model {key}: {e}")))
    }
}

fn path(key: &str) -> Result<ObjectPath> {
    ObjectPath::parse(key).map_err(|e| internal(format!("bad model key {key}: {e}")))
}

fn internal(message: String) -> Error {
    Error::Service(comprehend_protocol::ServiceError::internal(message))
}
