//! The flywheel data lake layout. This is the only place that builds lake paths; the
//! layout is documented in README ("The data lake") and must stay stable.
//!
//! ```text
//! <DataLakeS3Uri> = <given prefix>/<FlywheelName>/schemaVersion=1/<created YYYYMMDDTHHMMSSZ>/
//!   flywheel.json                                  what the flywheel is (name, mode, labels)
//!   datasets/<DatasetName>/<created>/documents.csv the ingested documents (COMPREHEND_CSV, labels joined by '|')
//!   datasets/<DatasetName>/<created>/dataset.json  type, counts, dropped documents, source
//!   models/<VersionName>/training/documents.csv    what the version was trained on
//!   models/<VersionName>/test/documents.csv        what it was evaluated on
//!   models/<VersionName>/stats/metrics.json        its evaluation (FlywheelStatsS3Prefix points here)
//!   models/<VersionName>/stats/confusion_matrix.json
//!   evaluation/<IterationId>/evaluation_manifest.json  both models' metrics and the datasets used
//! ```
//!
//! A recognizer flywheel keeps, in place of each `documents.csv`, a `documents.txt` (one
//! document per line) and an `annotations.csv` (`File, Line, Begin Offset, End Offset, Type`
//! naming `documents.txt` and its lines): the same folders, its own two files.

use comprehend_protocol::Timestamp;

/// The file name of recognizer documents, which their annotations' `File` column names.
pub const DOCUMENTS_TXT: &str = "documents.txt";

/// A flywheel's lake, by its root URI (always ending in `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lake {
    root: String,
}

impl Lake {
    /// The lake of a new flywheel: `<given>/<name>/schemaVersion=1/<created>/`.
    pub fn for_new_flywheel(given: &str, name: &str, created: Timestamp) -> Lake {
        Lake {
            root: format!(
                "{}/{name}/schemaVersion=1/{}/",
                given.trim_end_matches('/'),
                created.compact()
            ),
        }
    }

    /// The lake at a stored root.
    pub fn at(root: &str) -> Lake {
        let root = if root.ends_with('/') {
            root.to_owned()
        } else {
            format!("{root}/")
        };
        Lake { root }
    }

    /// The root (`DataLakeS3Uri`).
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The flywheel description object.
    pub fn flywheel_file(&self) -> String {
        format!("{}flywheel.json", self.root)
    }

    /// A dataset's folder (`DatasetS3Uri`).
    pub fn dataset(&self, name: &str, created: Timestamp) -> String {
        format!("{}datasets/{name}/{}/", self.root, created.compact())
    }

    /// The documents of a dataset, given its folder.
    pub fn dataset_documents(dataset_uri: &str) -> String {
        format!("{}documents.csv", Lake::at(dataset_uri).root)
    }

    /// The description of a dataset, given its folder.
    pub fn dataset_description(dataset_uri: &str) -> String {
        format!("{}dataset.json", Lake::at(dataset_uri).root)
    }

    /// A model version's training documents.
    pub fn model_training(&self, version: &str) -> String {
        format!("{}models/{version}/training/documents.csv", self.root)
    }

    /// A model version's test documents.
    pub fn model_test(&self, version: &str) -> String {
        format!("{}models/{version}/test/documents.csv", self.root)
    }

    /// A model version's training folder (a recognizer's `documents.txt` and
    /// `annotations.csv`).
    pub fn model_training_folder(&self, version: &str) -> String {
        format!("{}models/{version}/training/", self.root)
    }

    /// A model version's test folder.
    pub fn model_test_folder(&self, version: &str) -> String {
        format!("{}models/{version}/test/", self.root)
    }

    /// The documents (one per line) of recognizer data in `folder`.
    pub fn documents_txt(folder: &str) -> String {
        format!("{}{DOCUMENTS_TXT}", Lake::at(folder).root)
    }

    /// The annotations of recognizer data in `folder`.
    pub fn annotations_csv(folder: &str) -> String {
        format!("{}annotations.csv", Lake::at(folder).root)
    }

    /// A model version's statistics folder (`FlywheelStatsS3Prefix`).
    pub fn model_stats(&self, version: &str) -> String {
        format!("{}models/{version}/stats/", self.root)
    }

    /// A model version's evaluation metrics, in its statistics folder.
    pub fn model_metrics(&self, version: &str) -> String {
        format!("{}metrics.json", self.model_stats(version))
    }

    /// A model version's confusion matrix, in its statistics folder.
    pub fn model_confusion_matrix(&self, version: &str) -> String {
        format!("{}confusion_matrix.json", self.model_stats(version))
    }

    /// An iteration's evaluation folder (`EvaluationManifestS3Prefix`).
    pub fn evaluation(&self, iteration_id: &str) -> String {
        format!("{}evaluation/{iteration_id}/", self.root)
    }

    /// An iteration's evaluation manifest.
    pub fn evaluation_manifest(&self, iteration_id: &str) -> String {
        format!("{}evaluation_manifest.json", self.evaluation(iteration_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        let created = Timestamp::from_millis(1_686_949_826_385);
        let lake = Lake::for_new_flywheel("s3://bucket/lake/", "fw", created);
        assert_eq!(
            lake.root(),
            "s3://bucket/lake/fw/schemaVersion=1/20230616T211026Z/"
        );
        assert_eq!(
            Lake::for_new_flywheel("s3://bucket", "fw", created).root(),
            "s3://bucket/fw/schemaVersion=1/20230616T211026Z/"
        );
        let ds = lake.dataset("more", created);
        assert_eq!(
            ds,
            "s3://bucket/lake/fw/schemaVersion=1/20230616T211026Z/datasets/more/20230616T211026Z/"
        );
        assert_eq!(Lake::dataset_documents(&ds), format!("{ds}documents.csv"));
        assert_eq!(
            lake.evaluation("20230616T211026Z"),
            format!("{}evaluation/20230616T211026Z/", lake.root())
        );
        assert_eq!(
            lake.model_stats("v1"),
            format!("{}models/v1/stats/", lake.root())
        );
        assert_eq!(
            lake.model_metrics("v1"),
            format!("{}models/v1/stats/metrics.json", lake.root())
        );
        let training = lake.model_training_folder("v1");
        assert_eq!(training, format!("{}models/v1/training/", lake.root()));
        assert_eq!(Lake::documents_txt(&ds), format!("{ds}documents.txt"));
        assert_eq!(
            Lake::annotations_csv(&training),
            format!("{training}annotations.csv")
        );
    }
}
