//! Reading an entity recognizer's training data from S3: every object under each URI
//! (an object or a prefix), parsed by the entity engine's streaming readers on blocking
//! threads. Failures are the engine's messages, which name the object and the line
//! (Amazon Comprehend Developer Guide, "Preparing entity recognizer training data").
//!
//! Nothing here holds the corpus in memory: each object is copied to an unnamed scratch
//! file under the data folder and read from there line by line, and the annotated
//! documents go to scratch files too ([`SpilledCorpus`]), which training reads as many
//! times as it needs. What stays in memory grows with the annotations (the engine's
//! compact join index) and the entity list, not with the documents' text.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Arc;

use comprehend_ner::{
    AnnotatedDocument, AnnotationIndex, Document, EntityList, FormatError, InputFormat, Limits,
    SpilledCorpus, for_each_document, for_each_manifest_document, read_annotations_into,
    read_entity_list,
};
use comprehend_protocol::{
    AugmentedManifestsListItem, EntityRecognizerDataFormat, EntityRecognizerInputDataConfig, Split,
};
use comprehend_store::objects::S3Uri;
use futures::StreamExt;
use tokio::io::AsyncWriteExt;

use crate::data;
use crate::state::State;

/// Annotated documents kept in an unnamed scratch file (gone when dropped, or when the
/// process dies).
pub type Spilled = SpilledCorpus<File>;

/// Training data as the engine takes it.
pub struct TrainingData {
    /// Training documents with their mentions (shared with the training thread).
    pub train: Arc<Spilled>,
    /// Test documents, when the request gives test data.
    pub test: Option<Arc<Spilled>>,
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

/// Mentions of types a recognizer does not list, as "TYPE (count), …" for a message; none
/// when nothing was ignored.
pub(super) fn ignored_listing(ignored: &BTreeMap<String, usize>) -> Option<String> {
    if ignored.is_empty() {
        return None;
    }
    let listed: Vec<String> = ignored.iter().map(|(t, n)| format!("{t} ({n})")).collect();
    Some(listed.join(", "))
}

/// Where scratch files go: the data folder, not `/tmp`, which may be memory.
pub fn scratch_dir(state: &State) -> Result<PathBuf, String> {
    let dir = state.config.data_dir.join("tmp");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create a scratch folder: {e}"))?;
    Ok(dir)
}

/// A new unnamed scratch file in `dir`.
pub fn scratch_file(dir: &std::path::Path) -> Result<File, String> {
    tempfile::tempfile_in(dir).map_err(|e| format!("cannot create a scratch file: {e}"))
}

/// An empty corpus in a new scratch file.
pub(super) fn new_corpus(state: &State) -> Result<Spilled, String> {
    Ok(SpilledCorpus::new(scratch_file(&scratch_dir(state)?)?))
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
    let docs = Docs {
        format,
        limits: limits.clone(),
    };
    if let Some(annotations) = &config.annotations {
        let mut ignored = BTreeMap::new();
        let train = annotated(state, &docs, &documents.s3_uri, &annotations.s3_uri, types).await?;
        let train = merge_ignored(train, &mut ignored);
        let test = match (&documents.test_s3_uri, &annotations.test_s3_uri) {
            (Some(docs_uri), Some(notes)) => {
                let test = annotated(state, &docs, docs_uri, notes, types).await?;
                Some(merge_ignored(test, &mut ignored))
            }
            _ => None,
        };
        return Ok(TrainingData {
            train: Arc::new(train),
            test: test.map(Arc::new),
            gazetteer: None,
            ignored,
        });
    }
    let list = config
        .entity_list
        .as_ref()
        .ok_or("InputDataConfig needs Annotations or an EntityList.")?;
    let list = read_list(state, &list.s3_uri).await?;
    let ignored = list
        .entries()
        .iter()
        .filter(|(_, entity_type)| !types.contains(entity_type))
        .fold(BTreeMap::new(), |mut m, (_, t)| {
            *m.entry(t.clone()).or_insert(0) += 1;
            m
        });
    let list = std::sync::Arc::new(list);
    let train = listed(state, &docs, &documents.s3_uri, &list, types).await?;
    let test = match &documents.test_s3_uri {
        Some(uri) => Some(listed(state, &docs, uri, &list, types).await?),
        None => None,
    };
    let gazetteer = std::sync::Arc::try_unwrap(list).unwrap_or_else(|list| (*list).clone());
    Ok(TrainingData {
        train: Arc::new(train),
        test: test.map(Arc::new),
        gazetteer: Some(gazetteer),
        ignored,
    })
}

fn merge_ignored(
    (corpus, found): (Spilled, BTreeMap<String, usize>),
    ignored: &mut BTreeMap<String, usize>,
) -> Spilled {
    for (entity_type, n) in found {
        *ignored.entry(entity_type).or_default() += n;
    }
    corpus
}

/// How documents are read.
#[derive(Clone)]
pub(super) struct Docs {
    /// One document per line or per file.
    pub format: InputFormat,
    /// The per-document checks.
    pub limits: Limits,
}

/// The documents at `docs_uri` with the annotations at `notes_uri`, and the annotations
/// of unlisted types, by type.
async fn annotated(
    state: &State,
    docs: &Docs,
    docs_uri: &str,
    notes_uri: &str,
    types: &[String],
) -> Result<(Spilled, BTreeMap<String, usize>), String> {
    annotated_into(state, new_corpus(state)?, docs, docs_uri, notes_uri, types).await
}

/// [`annotated`], appending to `corpus`: each call joins its own documents and annotations
/// (the annotations' `File` names are private to the pair), so many pairs can fill one
/// corpus — a flywheel's datasets.
pub(super) async fn annotated_into(
    state: &State,
    corpus: Spilled,
    docs: &Docs,
    docs_uri: &str,
    notes_uri: &str,
    types: &[String],
) -> Result<(Spilled, BTreeMap<String, usize>), String> {
    let format = docs.format;
    let index = each_object(
        state,
        notes_uri,
        "annotations",
        AnnotationIndex::new(types),
        move |file, reader, index| {
            read_annotations_into(file, reader, format, index).map_err(|e| e.to_string())
        },
    )
    .await?;
    let docs = docs.clone();
    let (corpus, index) = each_object(
        state,
        docs_uri,
        "documents",
        (corpus, index),
        move |file, reader, (corpus, index)| {
            spill_documents(file, reader, &docs, corpus, |doc| index.attach(doc))
        },
    )
    .await?;
    let ignored = tokio::task::spawn_blocking(move || index.finish())
        .await
        .map_err(|e| format!("Reading the annotations failed: {e}"))?
        .map_err(|e| e.to_string())?;
    Ok((corpus, ignored))
}

/// The documents at `uri`, annotated by the entity list (no unlisted types to count:
/// the list's own are counted once by the caller).
async fn listed(
    state: &State,
    docs: &Docs,
    uri: &str,
    list: &std::sync::Arc<EntityList>,
    types: &[String],
) -> Result<Spilled, String> {
    let (docs, list, types) = (docs.clone(), list.clone(), types.to_vec());
    each_object(
        state,
        uri,
        "documents",
        new_corpus(state)?,
        move |file, reader, corpus| {
            spill_documents(file, reader, &docs, corpus, |doc| {
                Ok(list.annotate_one(doc, &types))
            })
        },
    )
    .await
}

/// Reads one object's documents, annotates each with `annotate` and appends it to `corpus`.
fn spill_documents(
    file: &str,
    reader: BufReader<File>,
    docs: &Docs,
    corpus: &mut Spilled,
    mut annotate: impl FnMut(Document) -> Result<AnnotatedDocument, FormatError>,
) -> Result<(), String> {
    let mut scratch_error = None;
    let read = for_each_document(file, reader, docs.format, &docs.limits, &mut |doc| {
        let doc = annotate(doc)?;
        if let Err(e) = corpus.push(&doc) {
            scratch_error.get_or_insert(e);
        }
        Ok(())
    });
    if let Some(e) = scratch_error {
        return Err(format!("Training could not use its scratch space: {e}"));
    }
    read.map_err(|e| e.to_string())
}

async fn read_manifests(
    state: &State,
    manifests: &[AugmentedManifestsListItem],
    types: &[String],
    limits: &Limits,
) -> Result<TrainingData, String> {
    // [TRAIN, TEST]: each created when its first manifest comes.
    let mut corpora: [Option<Spilled>; 2] = [None, None];
    let mut ignored = BTreeMap::new();
    for manifest in manifests {
        let slot = usize::from(manifest.split == Some(Split::Test));
        let corpus = match corpora[slot].take() {
            Some(corpus) => corpus,
            None => new_corpus(state)?,
        };
        let (names, limits, types) = (
            manifest.attribute_names.clone(),
            limits.clone(),
            types.to_vec(),
        );
        let found = each_object(
            state,
            &manifest.s3_uri,
            "augmented manifest",
            (corpus, BTreeMap::new()),
            move |file, reader, (corpus, found)| {
                spill_manifest(file, reader, &names, &limits, &types, corpus, found)
            },
        )
        .await?;
        corpora[slot] = Some(merge_ignored(found, &mut ignored));
    }
    let [train, test] = corpora;
    let train = match train {
        Some(corpus) => corpus,
        None => new_corpus(state)?,
    };
    Ok(TrainingData {
        train: Arc::new(train),
        test: test.map(Arc::new),
        gazetteer: None,
        ignored,
    })
}

/// Reads one manifest object into `corpus`, counting mentions of unlisted types.
fn spill_manifest(
    file: &str,
    reader: BufReader<File>,
    names: &[String],
    limits: &Limits,
    types: &[String],
    corpus: &mut Spilled,
    found: &mut BTreeMap<String, usize>,
) -> Result<(), String> {
    let mut scratch_error = None;
    let read = for_each_manifest_document(file, reader, names, limits, &mut |doc| {
        for span in &doc.spans {
            if !types.contains(&span.entity_type) {
                *found.entry(span.entity_type.clone()).or_default() += 1;
            }
        }
        if let Err(e) = corpus.push(&doc) {
            scratch_error.get_or_insert(e);
        }
        Ok(())
    });
    if let Some(e) = scratch_error {
        return Err(format!("Training could not use its scratch space: {e}"));
    }
    read.map_err(|e| e.to_string())
}

async fn read_list(state: &State, uri: &str) -> Result<EntityList, String> {
    let lists = each_object(
        state,
        uri,
        "entity list",
        Vec::new(),
        |file, reader, lists| {
            lists.push(read_entity_list(file, reader).map_err(|e| e.to_string())?);
            Ok(())
        },
    )
    .await?;
    // A prefix with several lists: their entries together, the first row of a text winning.
    let mut lists = lists.into_iter();
    let first = lists.next().ok_or("The entity list is empty.")?;
    let rest: Vec<EntityList> = lists.collect();
    if rest.is_empty() {
        return Ok(first);
    }
    let entries = std::iter::once(first)
        .chain(rest)
        .flat_map(|l| l.entries().to_vec())
        .collect::<Vec<_>>();
    Ok(EntityList::from_entries(entries))
}

/// Copies every object at `uri` to a scratch file and hands it, as a buffered reader named
/// by the object's file name (the last part of the key, as the annotations CSV's `File`
/// column names documents), to `parse` on a blocking thread together with `acc`, which
/// moves there and back and is returned at the end.
async fn each_object<A, P>(
    state: &State,
    uri: &str,
    what: &str,
    mut acc: A,
    parse: P,
) -> Result<A, String>
where
    A: Send + 'static,
    P: Fn(&str, BufReader<File>, &mut A) -> Result<(), String> + Send + Sync + Clone + 'static,
{
    for object in data::objects_at(state, uri, what).await? {
        let file = download(state, &object).await?;
        let name = object.key.rsplit('/').next().unwrap_or_default().to_owned();
        let parse = parse.clone();
        let (result, back) = tokio::task::spawn_blocking(move || {
            let result = without_bom(BufReader::new(file))
                .map_err(|e| format!("Reading {name} failed: {e}"))
                .and_then(|reader| parse(&name, reader, &mut acc));
            (result, acc)
        })
        .await
        .map_err(|e| format!("Reading {object} failed: {e}"))?;
        result?;
        acc = back;
    }
    Ok(acc)
}

/// Skips a leading UTF-8 byte-order mark, which spreadsheet programs write at the start of
/// CSV files: left in, it would be part of the first header name or the first document.
fn without_bom(mut reader: BufReader<File>) -> std::io::Result<BufReader<File>> {
    use std::io::BufRead;
    if reader.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    Ok(reader)
}

/// The object's bytes in an unnamed scratch file, positioned at the start.
async fn download(state: &State, object: &S3Uri) -> Result<File, String> {
    let name = object.to_string();
    let file = scratch_file(&scratch_dir(state)?)?;
    let mut out = tokio::fs::File::from_std(file);
    let mut stream = state
        .objects
        .get_stream(object)
        .await
        .map_err(|e| data::object_message(e, &name))?;
    let scratch = |e: std::io::Error| format!("Copying {name} to a scratch file failed: {e}");
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| data::object_message(e, &name))?;
        out.write_all(&chunk).await.map_err(scratch)?;
    }
    out.flush().await.map_err(scratch)?;
    let mut file = out.into_std().await;
    file.seek(SeekFrom::Start(0)).map_err(scratch)?;
    Ok(file)
}
