//! Entity lists (Amazon Comprehend Developer Guide, "Entity lists (plain text only)"): a CSV
//! with the columns `Text` and `Type`, matched case-sensitively and exactly as written.

use std::collections::HashSet;
use std::io::Read;
use std::sync::{Arc, Mutex};

use crate::error::{FormatError, FormatErrorKind};
use crate::gazetteer::{Entry, Gazetteer};
use crate::tokenize::tokenize;
use crate::{AnnotatedDocument, Document, Span};

/// The entries of an entity list: distinct texts, each with the type of its first row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntityList {
    entries: Vec<(String, String)>,
    matcher: MatcherCache,
}

/// The gazetteer [`EntityList::annotate_one`] built last, with the entity types it is for, so
/// that annotating documents one at a time does not rebuild the matcher for each. It is not
/// part of the list's value: clones start without it and it never makes lists unequal.
#[derive(Default)]
struct MatcherCache(Mutex<Option<(Vec<String>, Arc<Gazetteer>)>>);

impl Clone for MatcherCache {
    fn clone(&self) -> Self {
        MatcherCache::default()
    }
}

impl PartialEq for MatcherCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for MatcherCache {}

impl std::fmt::Debug for MatcherCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MatcherCache")
    }
}

const HEADER: &str = "Text, Type";

/// Longest entry text, in characters after trimming (Amazon Comprehend Developer Guide,
/// "Guidelines and quotas", custom entity recognition: entity list entries 1–5,000).
pub const MAX_ENTRY_CHARS: usize = 5_000;

/// Most entries (rows) an entity list may hold (same page: 1–1,000,000 entries).
pub const MAX_ENTRIES: usize = 1_000_000;

/// Reads the entity list named `file`. Fields are trimmed; a text listed twice keeps the type
/// of its first row. Errors name the object and the 1-based line.
pub fn read_entity_list(file: &str, r: impl Read) -> Result<EntityList, FormatError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(r);
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(1, csv::Position::line);
        let kind = match e.kind() {
            csv::ErrorKind::Utf8 { .. } => FormatErrorKind::InvalidUtf8,
            _ => FormatErrorKind::Csv(e.to_string()),
        };
        FormatError::at(file, line, kind)
    };
    let headers = reader.headers().map_err(csv_error)?.clone();
    let find = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(text_col), Some(type_col)) = (find("Text"), find("Type")) else {
        return Err(FormatError::whole(
            file,
            FormatErrorKind::MissingHeader { expected: HEADER },
        ));
    };
    let mut seen = HashSet::new();
    let mut entries = Vec::new();
    let mut rows = 0usize;
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let get = |i: usize, column: &'static str| match record.get(i) {
            Some(v) if !v.is_empty() => Ok(v.to_owned()),
            _ => Err(FormatError::at(
                file,
                line,
                FormatErrorKind::EmptyField { column },
            )),
        };
        let (text, entity_type) = (get(text_col, "Text")?, get(type_col, "Type")?);
        rows += 1;
        if rows > MAX_ENTRIES {
            let kind = FormatErrorKind::TooManyEntries { limit: MAX_ENTRIES };
            return Err(FormatError::at(file, line, kind));
        }
        if text.chars().count() > MAX_ENTRY_CHARS {
            let kind = FormatErrorKind::EntryTooLong {
                limit: MAX_ENTRY_CHARS,
            };
            return Err(FormatError::at(file, line, kind));
        }
        if seen.insert(text.clone()) {
            entries.push((text, entity_type));
        }
    }
    Ok(EntityList {
        entries,
        matcher: MatcherCache::default(),
    })
}

impl EntityList {
    /// A list from `(text, type)` pairs (first type wins for a repeated text; empty texts
    /// are skipped).
    pub fn from_entries(pairs: impl IntoIterator<Item = (String, String)>) -> EntityList {
        let mut seen = HashSet::new();
        let entries = pairs
            .into_iter()
            .filter(|(text, _)| !text.is_empty() && seen.insert(text.clone()))
            .collect();
        EntityList {
            entries,
            matcher: MatcherCache::default(),
        }
    }

    /// Number of distinct entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the list has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `(text, type)` entries in file order.
    pub fn entries(&self) -> &[(String, String)] {
        &self.entries
    }

    /// Gazetteer entries for the types in `entity_types` (type index = position there).
    pub(crate) fn gazetteer_entries(&self, entity_types: &[String]) -> Vec<Entry> {
        self.entries
            .iter()
            .filter_map(|(text, t)| {
                let k = entity_types.iter().position(|x| x == t)?;
                Some(Entry {
                    text: text.clone(),
                    entity_type: k as u16,
                    from_list: true,
                    documents: 0,
                })
            })
            .collect()
    }

    /// Annotates documents with the list: every leftmost-longest, case-sensitive occurrence of
    /// an entry of a type in `entity_types` that starts and ends on token boundaries becomes a
    /// mention. Entries of other types are ignored.
    pub fn annotate(&self, docs: Vec<Document>, entity_types: &[String]) -> Vec<AnnotatedDocument> {
        docs.into_iter()
            .map(|document| self.annotate_one(document, entity_types))
            .collect()
    }

    /// [`EntityList::annotate`] for one document. The matcher is built on the first call and
    /// kept for the next calls with the same `entity_types`.
    pub fn annotate_one(&self, document: Document, entity_types: &[String]) -> AnnotatedDocument {
        let gazetteer = self.matcher(entity_types);
        let tokens = tokenize(&document.text);
        let spans = gazetteer
            .find(&document.text, &tokens)
            .into_iter()
            .map(|m| Span {
                begin: tokens[m.start].begin,
                end: tokens[m.end - 1].end,
                entity_type: entity_types[gazetteer.entries()[m.entry].entity_type as usize]
                    .clone(),
            })
            .collect();
        AnnotatedDocument { document, spans }
    }

    fn matcher(&self, entity_types: &[String]) -> Arc<Gazetteer> {
        // A poisoned lock only means another thread panicked while building: rebuild.
        let mut cache = self.matcher.0.lock().unwrap_or_else(|e| e.into_inner());
        match cache.as_ref() {
            Some((types, g)) if types == entity_types => Arc::clone(g),
            _ => {
                let g = Arc::new(Gazetteer::new(self.gazetteer_entries(entity_types)));
                *cache = Some((entity_types.to_vec(), Arc::clone(&g)));
                g
            }
        }
    }
}
