//! A classifier's confusion matrix, read from the `confusion_matrix.json` its training
//! writes into `output.tar.gz` (the API gives only the archive's location).

use std::io::Read;

use serde::Deserialize;

use crate::source::Source;

/// The largest archive the console opens: a confusion matrix of hundreds of labels is a
/// few MB at most.
const ARCHIVE_LIMIT: usize = 32 * 1024 * 1024;

/// `confusion_matrix.json`, as Comprehend documents it.
#[derive(Debug, Deserialize)]
#[serde(tag = "type")]
pub(crate) enum ConfusionMatrix {
    /// Rows the actual label, columns the predicted one, both ordered as `labels`.
    #[serde(rename = "multi_class")]
    MultiClass {
        confusion_matrix: Vec<Vec<u64>>,
        labels: Vec<String>,
    },
    /// One `[[TN, FP], [FN, TP]]` per label.
    #[serde(rename = "multi_label")]
    MultiLabel {
        confusion_matrix: Vec<[[u64; 2]; 2]>,
        labels: Vec<String>,
    },
}

/// The confusion matrix of a version: in the training output archive at `uri`, or, for a
/// version a flywheel trained, in its statistics folder (`FlywheelStatsS3Prefix`, a
/// location ending in `/`).
pub(crate) async fn read<O: Source>(objects: &O, uri: &str) -> Option<ConfusionMatrix> {
    if uri.ends_with('/') {
        let json = objects
            .read(&format!("{uri}confusion_matrix.json"), ARCHIVE_LIMIT)
            .await?;
        return serde_json::from_slice(&json).ok();
    }
    let archive = objects.read(uri, ARCHIVE_LIMIT).await?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(archive.as_slice()));
    for entry in tar.entries().ok()? {
        let mut entry = entry.ok()?;
        let is_matrix = entry
            .path()
            .ok()
            .is_some_and(|p| p.file_name().is_some_and(|n| n == "confusion_matrix.json"));
        if is_matrix {
            let mut text = Vec::new();
            entry
                .by_ref()
                .take(ARCHIVE_LIMIT as u64)
                .read_to_end(&mut text)
                .ok()?;
            return serde_json::from_slice(&text).ok();
        }
    }
    None
}
