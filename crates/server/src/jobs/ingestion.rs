//! The IngestDataset job: reads a dataset's documents, keeps those with the flywheel's
//! labels (the dataset's Message says how many were dropped), checks them as training
//! data, and writes them into the flywheel's lake. A recognizer flywheel's datasets go
//! through [`super::recognizer_lake::ingest`] instead: documents and annotations, mentions
//! of other entity types dropped.

use std::collections::BTreeSet;

use comprehend_ml::{Document, Mode, TrainingLimits, validate_training_set};
use comprehend_protocol::*;
use comprehend_store::datasets::{DatasetChanges, DatasetRecord};
use comprehend_store::{Job, Target};
use serde_json::json;

use super::error::{JobError, resource_arn};
use super::recognizer_lake;
use crate::data::{self, ml_mode};
use crate::domain::{self, ModelKind};
use crate::error::Error;
use crate::lake::Lake;
use crate::state::State;

/// IngestDataset.
pub async fn ingest(state: &State, job: &Job) -> Result<(), JobError> {
    let Some(arn) = resource_arn(&job.target) else {
        return Ok(());
    };
    let Some(dataset) = state.store.dataset(arn).await? else {
        return Ok(());
    };
    if dataset.status != DatasetStatus::Creating {
        return Ok(());
    }
    let Some(flywheel) = state.store.flywheel(&dataset.flywheel_arn).await? else {
        fail_dataset(state, &dataset.arn, "The flywheel was deleted.").await?;
        return Ok(());
    };
    let stored = match ModelKind::of_flywheel(&flywheel) {
        ModelKind::Classifier => {
            let mode = ml_mode(domain::mode(&flywheel));
            read_and_store(state, &dataset, domain::labels(&flywheel), mode).await
        }
        ModelKind::Recognizer => {
            let types = domain::entity_types(&flywheel).unwrap_or_default();
            recognizer_lake::ingest(state, &dataset, &types).await
        }
    };
    match stored {
        Ok((count, message)) => {
            let changes = DatasetChanges {
                message: Some(message),
                number_of_documents: Some(count),
                end_time: Some(state.now_ms()),
            };
            state
                .store
                .transition_dataset(&dataset.arn, DatasetStatus::Completed, changes)
                .await?;
            Ok(())
        }
        Err(message) => {
            fail_dataset(state, &dataset.arn, &message).await?;
            Err(JobError::Failed(message))
        }
    }
}

async fn fail_dataset(state: &State, arn: &str, message: &str) -> Result<(), Error> {
    let changes = DatasetChanges {
        message: Some(Some(crate::disk::failure_message(state, message))),
        end_time: Some(state.now_ms()),
        ..Default::default()
    };
    state
        .store
        .transition_dataset(arn, DatasetStatus::Failed, changes)
        .await?;
    Ok(())
}

/// Marks a dataset FAILED (its ingestion failed, or was given up).
pub async fn fail(state: &State, target: &Target, message: &str) -> Result<(), Error> {
    match resource_arn(target) {
        Some(arn) => fail_dataset(state, arn, message).await,
        None => Ok(()),
    }
}

/// Reads a dataset's documents in its input format.
async fn read_documents(
    state: &State,
    input: &DatasetInputDataConfig,
    mode: Mode,
) -> Result<Vec<Document>, String> {
    match input
        .data_format
        .unwrap_or(DatasetDataFormat::ComprehendCsv)
    {
        DatasetDataFormat::ComprehendCsv => {
            let config = input
                .document_classifier_input_data_config
                .as_ref()
                .ok_or("DocumentClassifierInputDataConfig is missing")?;
            let delimiter = data::delimiter(config.label_delimiter.as_deref());
            data::read_csv(state, &config.s3_uri, mode, delimiter, "documents").await
        }
        DatasetDataFormat::AugmentedManifest => {
            let mut docs = Vec::new();
            for manifest in input.augmented_manifests.as_deref().unwrap_or_default() {
                let attribute = manifest
                    .attribute_names
                    .first()
                    .map(String::as_str)
                    .unwrap_or_default();
                let what = "augmented manifest";
                docs.extend(
                    data::read_manifest(state, &manifest.s3_uri, attribute, mode, what).await?,
                );
            }
            Ok(docs)
        }
    }
}

/// Reads, filters, checks and writes a dataset; returns the documents kept and the
/// dataset's message.
async fn read_and_store(
    state: &State,
    dataset: &DatasetRecord,
    labels: Option<&[String]>,
    mode: Mode,
) -> Result<(i64, Option<String>), String> {
    let input = &dataset.request.input_data_config;
    let docs = read_documents(state, input, mode).await?;
    let read = docs.len();
    let (kept, dropped, unknown) = keep_known_labels(docs, labels);
    if kept.is_empty() {
        return Err(format!(
            "None of the {read} documents has a label of the flywheel's label set ({}); nothing was ingested.",
            labels.map(|l| l.join(", ")).unwrap_or_default()
        ));
    }
    // The same checks as training, except minimum counts: a dataset may be a small
    // addition; the iteration checks the combined data.
    let limits = TrainingLimits {
        min_docs_per_label: 1,
        min_total_docs_multi_label: 1,
        ..TrainingLimits::default()
    };
    validate_training_set(&kept, mode, &limits).map_err(|e| e.to_string())?;
    data::put(
        state,
        &Lake::dataset_documents(&dataset.dataset_s3_uri),
        data::to_csv(&kept)?,
    )
    .await?;
    let message = (dropped > 0).then(|| {
        format!(
            "Ingested {} of {read} documents; dropped {dropped} whose labels are not in the flywheel's label set ({}).",
            kept.len(),
            unknown.iter().cloned().collect::<Vec<_>>().join(", ")
        )
    });
    if let Some(m) = &message {
        tracing::info!(dataset = %dataset.arn, "{m}");
    }
    data::put_json(
        state,
        &Lake::dataset_description(&dataset.dataset_s3_uri),
        &json!({
            "DatasetArn": dataset.arn,
            "DatasetType": dataset.dataset_type.as_str(),
            "NumberOfDocuments": kept.len(),
            "DocumentsRead": read,
            "DocumentsDropped": dropped,
            "UnknownLabels": unknown,
            "Input": input,
        }),
    )
    .await?;
    Ok((kept.len() as i64, message))
}

/// Drops labels outside the flywheel's set (all are kept while the set is unknown) and
/// documents left without a label. Returns the kept documents, how many were dropped, and
/// the unknown labels seen.
fn keep_known_labels(
    docs: Vec<Document>,
    labels: Option<&[String]>,
) -> (Vec<Document>, usize, BTreeSet<String>) {
    let Some(labels) = labels else {
        return (docs, 0, BTreeSet::new());
    };
    let known: BTreeSet<&str> = labels.iter().map(String::as_str).collect();
    let mut unknown = BTreeSet::new();
    let mut dropped = 0;
    let kept = docs
        .into_iter()
        .filter_map(|mut doc| {
            doc.labels.retain(|l| {
                let ok = known.contains(l.as_str());
                if !ok {
                    unknown.insert(l.clone());
                }
                ok
            });
            if doc.labels.is_empty() {
                dropped += 1;
                None
            } else {
                Some(doc)
            }
        })
        .collect();
    (kept, dropped, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_labels_are_dropped() {
        let docs = vec![
            Document::new("A", "x"),
            Document::new("C", "y"),
            Document {
                text: "z".into(),
                labels: vec!["A".into(), "D".into()],
            },
        ];
        let labels = vec!["A".to_owned(), "B".to_owned()];
        let (kept, dropped, unknown) = keep_known_labels(docs, Some(&labels));
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[1].labels, ["A"]);
        assert_eq!(dropped, 1);
        assert_eq!(unknown.into_iter().collect::<Vec<_>>(), ["C", "D"]);
    }
}
