//! Reading an entity recognizer's training data from S3: every object under each URI
//! (an object or a prefix), parsed by the entity engine's readers on blocking threads.
//! Failures are the engine's messages, which name the object and the line (Amazon
//! Comprehend Developer Guide, "Preparing entity recognizer training data").

use std::collections::BTreeMap;

use comprehend_ner::{
    AnnotatedDocument, Annotation, Document, EntityList, FormatError, InputFormat, Limits,
    attach_annotations, read_annotations, read_documents, read_entity_list, read_manifest,
};
use comprehend_protocol::{
    AugmentedManifestsListItem, EntityRecognizerDataFormat, EntityRecognizerInputDataConfig, Split,
};

use crate::data;
use crate::state::State;

/// Training data as the engine takes it.
#[derive(Debug, Default)]
pub struct TrainingData {
    /// Training documents with their mentions.
    pub train: Vec<AnnotatedDocument>,
    /// Test documents, when the request gives test data.
    pub test: Option<Vec<AnnotatedDocument>>,
    /// The entity list (also the gazetteer), for entity-list training.
    pub gazetteer: Option<EntityList>,
    /// Mentions (or list entries) of types the request does not list, by type: ignored.
    pub ignored: BTreeMap<String, usize>,
}

/// Reads the data `config` describes for a recognizer of `types`.
pub async fn read(
    state: &State,
    config: &EntityRecognizerInputDataConfig,
    types: &[String],
    limits: &Limits,
) -> Result<TrainingData, String> {
    match config
        .data_format
        .unwrap_or(EntityRecognizerDataFormat::ComprehendCsv)
    {
        EntityRecognizerDataFormat::ComprehendCsv => read_csv(state, config, types, limits).await,
        EntityRecognizerDataFormat::AugmentedManifest => {
            let manifests = config.augmented_manifests.as_deref().unwrap_or_default();
            read_manifests(state, manifests, types, limits).await
        }
    }
}

async fn read_csv(
    state: &State,
    config: &EntityRecognizerInputDataConfig,
    types: &[String],
    limits: &Limits,
) -> Result<TrainingData, String> {
    let documents = config
        .documents
        .as_ref()
        .ok_or("InputDataConfig.Documents is missing.")?;
    let format = match documents.input_format {
        Some(comprehend_protocol::InputFormat::OneDocPerFile) => InputFormat::OneDocPerFile,
        _ => InputFormat::OneDocPerLine,
    };
    let train_docs = read_docs(state, &documents.s3_uri, format, limits).await?;
    let test_docs = match &documents.test_s3_uri {
        Some(uri) => Some(read_docs(state, uri, format, limits).await?),
        None => None,
    };
    let mut out = TrainingData::default();
    if let Some(annotations) = &config.annotations {
        let notes = read_notes(state, &annotations.s3_uri, format).await?;
        out.train = attach(train_docs, notes, types, &mut out.ignored)?;
        if let (Some(docs), Some(uri)) = (test_docs, &annotations.test_s3_uri) {
            let notes = read_notes(state, uri, format).await?;
            out.test = Some(attach(docs, notes, types, &mut out.ignored)?);
        }
    } else if let Some(list) = &config.entity_list {
        let list = read_list(state, &list.s3_uri).await?;
        for (_, entity_type) in list.entries() {
            if !types.contains(entity_type) {
                *out.ignored.entry(entity_type.clone()).or_default() += 1;
            }
        }
        out.train = list.annotate(train_docs, types);
        out.test = test_docs.map(|docs| list.annotate(docs, types));
        out.gazetteer = Some(list);
    }
    Ok(out)
}

fn attach(
    docs: Vec<Document>,
    notes: Vec<Annotation>,
    types: &[String],
    ignored: &mut BTreeMap<String, usize>,
) -> Result<Vec<AnnotatedDocument>, String> {
    let attached = attach_annotations(docs, notes, types).map_err(|e| e.to_string())?;
    for (entity_type, n) in attached.ignored {
        *ignored.entry(entity_type).or_default() += n;
    }
    Ok(attached.documents)
}

async fn read_manifests(
    state: &State,
    manifests: &[AugmentedManifestsListItem],
    types: &[String],
    limits: &Limits,
) -> Result<TrainingData, String> {
    let mut out = TrainingData::default();
    for manifest in manifests {
        let names = manifest.attribute_names.clone();
        let limits = limits.clone();
        let docs = read_each(
            state,
            &manifest.s3_uri,
            "augmented manifest",
            move |file, bytes| read_manifest(file, bytes, &names, &limits),
        )
        .await?;
        for span in docs.iter().flat_map(|d| &d.spans) {
            if !types.contains(&span.entity_type) {
                *out.ignored.entry(span.entity_type.clone()).or_default() += 1;
            }
        }
        match manifest.split.unwrap_or(Split::Train) {
            Split::Train => out.train.extend(docs),
            Split::Test => out.test.get_or_insert_with(Vec::new).extend(docs),
        }
    }
    Ok(out)
}

async fn read_docs(
    state: &State,
    uri: &str,
    format: InputFormat,
    limits: &Limits,
) -> Result<Vec<Document>, String> {
    let limits = limits.clone();
    read_each(state, uri, "documents", move |file, bytes| {
        read_documents(file, bytes, format, &limits)
    })
    .await
}

async fn read_notes(
    state: &State,
    uri: &str,
    format: InputFormat,
) -> Result<Vec<Annotation>, String> {
    read_each(state, uri, "annotations", move |file, bytes| {
        read_annotations(file, bytes, format)
    })
    .await
}

async fn read_list(state: &State, uri: &str) -> Result<EntityList, String> {
    let mut lists = read_each(state, uri, "entity list", |file, bytes| {
        read_entity_list(file, bytes).map(|list| vec![list])
    })
    .await?;
    // A prefix with several lists: their entries together, the first row of a text winning.
    let first = lists.remove(0);
    if lists.is_empty() {
        return Ok(first);
    }
    let entries = std::iter::once(first)
        .chain(lists)
        .flat_map(|l| l.entries().to_vec())
        .collect::<Vec<_>>();
    Ok(EntityList::from_entries(entries))
}

/// Parses every object at `uri` with `parse` on a blocking thread. The engine names a
/// document by its object's file name (the last part of the key), as the annotations
/// CSV's `File` column does.
async fn read_each<T, P>(state: &State, uri: &str, what: &str, parse: P) -> Result<Vec<T>, String>
where
    T: Send + 'static,
    P: Fn(&str, &[u8]) -> Result<Vec<T>, FormatError> + Send + Sync + Clone + 'static,
{
    let mut out = Vec::new();
    for object in data::objects_at(state, uri, what).await? {
        let name = object.to_string();
        let bytes = state
            .objects
            .get(&object)
            .await
            .map_err(|e| data::object_message(e, &name))?;
        let file = object.key.rsplit('/').next().unwrap_or_default().to_owned();
        let parse = parse.clone();
        let items = tokio::task::spawn_blocking(move || parse(&file, bytes.as_ref()))
            .await
            .map_err(|e| format!("Reading {name} failed: {e}"))?
            .map_err(|e| e.to_string())?;
        out.extend(items);
    }
    Ok(out)
}
