//! Live progress of the versions being trained, by model ARN, for the console.
//!
//! Progress is transient (a job interrupted by a crash starts again and reports afresh),
//! and Comprehend's API has no field for it, so it lives in memory beside the jobs rather
//! than in the store.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// The latest report of each training run.
#[derive(Debug, Clone, Default)]
pub struct TrainingProgress(Arc<Mutex<HashMap<String, String>>>);

impl TrainingProgress {
    /// Records what the training of `arn` is doing now.
    pub fn report(&self, arn: &str, text: String) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(arn.to_owned(), text);
    }

    /// Forgets `arn` once its training ends, however it ends.
    pub fn clear(&self, arn: &str) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(arn);
    }

    /// What the training of `arn` last reported, while it runs.
    pub fn get(&self, arn: &str) -> Option<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(arn)
            .cloned()
    }
}

/// A classifier's progress as the console shows it.
pub fn classifier_text(p: &comprehend_ml::Progress) -> String {
    match p.loss {
        Some(loss) => format!(
            "{:?}: iteration {} of at most {}, loss {loss:.5}",
            p.phase, p.iteration, p.max_iter
        ),
        None => format!("{:?}", p.phase),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_last_until_cleared() {
        let progress = TrainingProgress::default();
        assert_eq!(progress.get("a"), None);
        progress.report("a", "Fitting".into());
        progress.report("a", "Evaluating".into());
        assert_eq!(progress.get("a").as_deref(), Some("Evaluating"));
        progress.clear("a");
        assert_eq!(progress.get("a"), None);
    }
}
