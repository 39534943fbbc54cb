//! A recognizer flywheel's data in its lake: each dataset (and each generated version's
//! training and test data) as `documents.txt`, one document per line, with an
//! `annotations.csv` naming its lines — whatever format the data came in — so iterations
//! read every dataset the same way, streaming, through the engine's readers.

use std::collections::BTreeMap;
use std::fs::File;
use std::sync::Arc;

use comprehend_ner::{AnnotationWriter, Corpus, InputFormat, Limits, TrainParams, holdout_corpus};
use comprehend_protocol::{
    AugmentedManifestsListItem, DatasetDataFormat, DatasetInputDataConfig,
    EntityRecognizerAnnotations, EntityRecognizerDataFormat, EntityRecognizerDocuments,
    EntityRecognizerEntityList, EntityRecognizerInputDataConfig, EntityTypesListItem,
};
use comprehend_store::objects::S3Uri;

use comprehend_store::datasets::DatasetRecord;
use serde_json::json;

use super::recognizer_data::{self, Docs, Spilled, annotated_into, new_corpus, scratch_dir};
use crate::data;
use crate::lake::{DOCUMENTS_TXT, Lake};
use crate::state::State;

/// What [`write_lake`] wrote: documents, and mentions per entity type (in `types` order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LakeCounts {
    /// Documents written.
    pub documents: u64,
    /// Mentions written, per type.
    pub mentions: Vec<u64>,
}

/// Writes `corpus` as recognizer data in the lake `folder`: `documents.txt`, one document
/// per line, and `annotations.csv` naming its lines, keeping the mentions of `types`.
/// Line breaks inside a document become spaces (one code point for one, so offsets stay);
/// a blank document is skipped, since the line reader would skip its line.
pub async fn write_lake(
    state: &State,
    corpus: Arc<Spilled>,
    types: &[String],
    folder: &str,
) -> Result<LakeCounts, String> {
    let dir = scratch_dir(state)?;
    let named = |what: &str| {
        tempfile::NamedTempFile::new_in(&dir)
            .map_err(|e| format!("cannot create a scratch file for {what}: {e}"))
    };
    let (text, notes) = (named("documents")?, named("annotations")?);
    let types = types.to_vec();
    let (text, notes, counts) = tokio::task::spawn_blocking(move || {
        let counts = write_files(&corpus, &types, text.as_file(), notes.as_file())?;
        Ok::<_, String>((text, notes, counts))
    })
    .await
    .map_err(|e| format!("Writing the data lake failed: {e}"))??;
    for (file, uri) in [
        (&text, Lake::documents_txt(folder)),
        (&notes, Lake::annotations_csv(folder)),
    ] {
        let target = S3Uri::parse(&uri).map_err(|e| e.to_string())?;
        state
            .objects
            .put_file(&target, file.path())
            .await
            .map_err(|e| data::object_message(e, &uri))?;
    }
    Ok(counts)
}

fn write_files(
    corpus: &Spilled,
    types: &[String],
    text: &File,
    notes: &File,
) -> Result<LakeCounts, String> {
    use std::io::Write;
    let scratch = |e: std::io::Error| format!("Writing the data lake's scratch files failed: {e}");
    let mut out = std::io::BufWriter::new(text);
    let mut rows = AnnotationWriter::new(std::io::BufWriter::new(notes)).map_err(scratch)?;
    let mut counts = LakeCounts {
        documents: 0,
        mentions: vec![0; types.len()],
    };
    let mut failed = None;
    let walked = corpus.for_each(&mut |doc| {
        let text = doc.document.text.replace(['\r', '\n'], " ");
        if text.trim().is_empty() {
            return Ok(());
        }
        let line = counts.documents;
        let mut write = || -> std::io::Result<()> {
            writeln!(out, "{text}")?;
            for span in &doc.spans {
                if let Some(k) = types.iter().position(|t| *t == span.entity_type) {
                    rows.write(DOCUMENTS_TXT, line, span)?;
                    counts.mentions[k] += 1;
                }
            }
            Ok(())
        };
        if let Err(e) = write() {
            failed.get_or_insert(e);
        }
        counts.documents += 1;
        Ok(())
    });
    if let Some(e) = failed {
        return Err(scratch(e));
    }
    walked.map_err(|e| e.to_string())?;
    out.flush().map_err(scratch)?;
    rows.finish().map_err(scratch)?.flush().map_err(scratch)?;
    Ok(counts)
}

/// Appends the recognizer data in the lake `folder` (as [`write_lake`] wrote it) to
/// `corpus`; returns it with the mentions of types outside `types`, by type.
pub async fn read_lake_into(
    state: &State,
    corpus: Spilled,
    folder: &str,
    types: &[String],
) -> Result<(Spilled, BTreeMap<String, usize>), String> {
    let docs = Docs {
        format: InputFormat::OneDocPerLine,
        limits: Limits {
            min_documents: 0,
            min_mentions_per_type: 0,
            ..Limits::default()
        },
    };
    let (text, notes) = (Lake::documents_txt(folder), Lake::annotations_csv(folder));
    annotated_into(state, corpus, &docs, &text, &notes, types).await
}

/// A dataset's input as a recognizer's training input: the same documents, annotations,
/// entity list or manifests, without test data (a dataset is TRAIN or TEST as a whole).
pub fn from_dataset(
    input: &DatasetInputDataConfig,
    types: &[String],
) -> EntityRecognizerInputDataConfig {
    let entity_types = types
        .iter()
        .map(|t| EntityTypesListItem { type_: t.clone() })
        .collect();
    let config = input.entity_recognizer_input_data_config.as_ref();
    let manifests = input.augmented_manifests.as_ref().map(|items| {
        items
            .iter()
            .map(|m| AugmentedManifestsListItem {
                s3_uri: m.s3_uri.clone(),
                attribute_names: m.attribute_names.clone(),
                ..Default::default()
            })
            .collect()
    });
    EntityRecognizerInputDataConfig {
        data_format: Some(match input.data_format {
            Some(DatasetDataFormat::AugmentedManifest) => {
                EntityRecognizerDataFormat::AugmentedManifest
            }
            _ => EntityRecognizerDataFormat::ComprehendCsv,
        }),
        entity_types,
        documents: config.map(|c| EntityRecognizerDocuments {
            s3_uri: c.documents.s3_uri.clone(),
            input_format: c.documents.input_format,
            ..Default::default()
        }),
        annotations: config.and_then(|c| c.annotations.as_ref()).map(|a| {
            EntityRecognizerAnnotations {
                s3_uri: a.s3_uri.clone(),
                ..Default::default()
            }
        }),
        entity_list: config.and_then(|c| c.entity_list.as_ref()).map(|l| {
            EntityRecognizerEntityList {
                s3_uri: l.s3_uri.clone(),
            }
        }),
        augmented_manifests: manifests,
    }
}

/// Ingests a dataset of a recognizer flywheel: reads it in its own format (the engine's
/// checks, errors naming the object and line), writes it into the lake as documents and
/// annotations of the flywheel's `types`, and describes it. Returns the documents kept and
/// the dataset's message, which names the mentions of other types that were dropped.
pub async fn ingest(
    state: &State,
    dataset: &DatasetRecord,
    types: &[String],
) -> Result<(i64, Option<String>), String> {
    let input = from_dataset(&dataset.request.input_data_config, types);
    // A dataset may be a small addition: the iteration checks the combined data.
    let limits = Limits {
        min_documents: 1,
        min_mentions_per_type: 0,
        ..Limits::default()
    };
    let data = recognizer_data::read(state, &input, types, &limits).await?;
    let folder = &dataset.dataset_s3_uri;
    let counts = write_lake(state, data.train, types, folder).await?;
    if counts.documents == 0 {
        return Err("The dataset has no documents; nothing was ingested.".into());
    }
    if counts.mentions.iter().all(|&n| n == 0) {
        return Err(format!(
            "The dataset has no mentions of the flywheel's entity types ({}); nothing was ingested.",
            types.join(", ")
        ));
    }
    let message = dropped_message(counts.documents, &data.ignored);
    let mentions: BTreeMap<&str, u64> = types
        .iter()
        .map(String::as_str)
        .zip(counts.mentions.iter().copied())
        .collect();
    let description = json!({
        "DatasetArn": dataset.arn,
        "DatasetType": dataset.dataset_type.as_str(),
        "NumberOfDocuments": counts.documents,
        "Mentions": mentions,
        "MentionsDropped": data.ignored,
        "Input": dataset.request.input_data_config,
    });
    data::put_json(state, &Lake::dataset_description(folder), &description).await?;
    Ok((counts.documents as i64, message))
}

/// The dataset's message when mentions of types outside the flywheel's list were dropped.
fn dropped_message(documents: u64, ignored: &BTreeMap<String, usize>) -> Option<String> {
    let listed = recognizer_data::ignored_listing(ignored)?;
    let total: usize = ignored.values().sum();
    Some(format!(
        "Ingested {documents} documents; dropped {total} mentions of entity types not in the flywheel's list: {listed}."
    ))
}

/// The engine's automatic train/test split of `corpus` (the documents a recognizer trained
/// without test data was scored on), as two corpora.
pub async fn split(
    state: &State,
    corpus: Arc<Spilled>,
    types: &[String],
) -> Result<(Arc<Spilled>, Arc<Spilled>), String> {
    let (mut train, mut test) = (new_corpus(state)?, new_corpus(state)?);
    let types = types.to_vec();
    tokio::task::spawn_blocking(move || {
        let set =
            holdout_corpus(&*corpus, &types, &TrainParams::default()).map_err(|e| e.to_string())?;
        let mut i = 0;
        let mut failed = None;
        corpus
            .for_each(&mut |doc| {
                let side = if set.contains(i) {
                    &mut test
                } else {
                    &mut train
                };
                if let Err(e) = side.push(doc) {
                    failed.get_or_insert(e);
                }
                i += 1;
                Ok(())
            })
            .map_err(|e| e.to_string())?;
        match failed {
            Some(e) => Err(format!("Splitting the data failed: {e}")),
            None => Ok((Arc::new(train), Arc::new(test))),
        }
    })
    .await
    .map_err(|e| format!("Splitting the data failed: {e}"))?
}
