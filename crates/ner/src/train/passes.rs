//! The streaming passes of training over its corpora: the summary the checks and the split
//! need, the views of the training and test parts, the gazetteer, the calibration sample and
//! the evaluation counts. None keeps per-document data beyond one batch, except the split's
//! one bit per document.

use std::collections::HashMap;

use rustc_hash::FxHashSet;

use crate::calibrate::Held;
use crate::corpus::Corpus;
use crate::gazetteer::{Entry, Gazetteer};
use crate::metrics::Counts;
use crate::split::{BitSet, type_mask};
use crate::tokenize::tokenize_with_cuts;
use crate::{AnnotatedDocument, EntityList, NerError, Recognizer, tags};

/// Documents evaluated in parallel at a time.
const EVAL_BATCH: usize = 1024;

/// Most state scores (tokens × labels, 8 bytes each: 16 MiB) the calibration sample holds;
/// about 230,000 tokens with 4 entity types.
const CALIBRATION_SCORES: usize = 1 << 21;

/// Keeps the spans of known types. Documents built by hand (not by this crate's readers) are
/// also made safe: spans that are empty, reversed or past the text are dropped, and of
/// overlapping spans the first (in offset order) is kept.
pub(super) fn keep_types(d: &mut AnnotatedDocument, types: &[String]) {
    let length = d.document.text.chars().count();
    d.spans
        .retain(|s| types.contains(&s.entity_type) && s.begin < s.end && s.end <= length);
    d.spans.sort();
    let mut end = 0;
    d.spans.retain(|s| {
        let keep = s.begin >= end;
        if keep {
            end = s.end;
        }
        keep
    });
}

/// A corpus seen through [`keep_types`] and, optionally, a split: the documents whose bit in
/// the set equals `test`.
pub(super) struct View<'a> {
    corpus: &'a dyn Corpus,
    types: &'a [String],
    split: Option<(&'a BitSet, bool)>,
    len: usize,
}

impl<'a> View<'a> {
    /// All of `corpus`.
    pub(super) fn all(corpus: &'a dyn Corpus, types: &'a [String]) -> Self {
        let len = corpus.len();
        View {
            corpus,
            types,
            split: None,
            len,
        }
    }

    /// The documents of `corpus` that are (`test`) or are not in `set`; `len` of them.
    pub(super) fn part(
        corpus: &'a dyn Corpus,
        types: &'a [String],
        set: &'a BitSet,
        test: bool,
        len: usize,
    ) -> Self {
        View {
            corpus,
            types,
            split: Some((set, test)),
            len,
        }
    }
}

impl Corpus for View<'_> {
    fn len(&self) -> usize {
        self.len
    }

    fn for_each(
        &self,
        f: &mut dyn FnMut(&AnnotatedDocument) -> Result<(), NerError>,
    ) -> Result<(), NerError> {
        let mut i = 0;
        self.corpus.for_each(&mut |doc| {
            let wanted = self.split.is_none_or(|(set, test)| set.contains(i) == test);
            i += 1;
            if !wanted {
                return Ok(());
            }
            let mut doc = doc.clone();
            keep_types(&mut doc, self.types);
            f(&doc)
        })
    }
}

/// Calls `f` with batches of at most `size` documents of `corpus`, in order.
pub(super) fn for_each_batch(
    corpus: &dyn Corpus,
    size: usize,
    f: &mut dyn FnMut(&[AnnotatedDocument]) -> Result<(), NerError>,
) -> Result<(), NerError> {
    let mut batch = Vec::with_capacity(size);
    corpus.for_each(&mut |doc| {
        batch.push(doc.clone());
        if batch.len() >= size {
            f(&batch)?;
            batch.clear();
        }
        Ok(())
    })?;
    if batch.is_empty() { Ok(()) } else { f(&batch) }
}

/// What the checks and the split need to know of a corpus.
#[derive(Debug, Default)]
pub(super) struct Summary {
    /// Documents.
    pub docs: usize,
    /// Mentions per type.
    pub mentions: Vec<u64>,
    /// Types of each document (only when asked for).
    pub masks: Vec<u32>,
}

/// One pass over `view`: counts, and with `masks` the types of every document.
pub(super) fn summarize(
    view: &dyn Corpus,
    types: &[String],
    masks: bool,
) -> Result<Summary, NerError> {
    let mut s = Summary {
        mentions: vec![0; types.len()],
        ..Summary::default()
    };
    view.for_each(&mut |doc| {
        s.docs += 1;
        add_mentions(doc, types, &mut s.mentions);
        if masks {
            s.masks.push(type_mask(doc, types));
        }
        Ok(())
    })?;
    Ok(s)
}

fn add_mentions(doc: &AnnotatedDocument, types: &[String], counts: &mut [u64]) {
    for s in &doc.spans {
        if let Some(k) = types.iter().position(|t| *t == s.entity_type) {
            counts[k] += 1;
        }
    }
}

/// The gazetteer: the entity list's entries of known types, then (optionally) the surface forms
/// annotated in the training split, with the number of documents annotating each; and, from
/// the same pass, the training mentions per type.
pub(super) fn build_gazetteer(
    train: &dyn Corpus,
    types: &[String],
    list: Option<&EntityList>,
    mentions: bool,
) -> Result<(Gazetteer, Vec<u64>), NerError> {
    let mut entries: Vec<Entry> = list.map_or_else(Vec::new, |l| l.gazetteer_entries(types));
    let mut index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.text.clone(), i))
        .collect();
    let mut counts = vec![0; types.len()];
    train.for_each(&mut |doc| {
        add_mentions(doc, types, &mut counts);
        if mentions {
            add_document_mentions(doc, types, &mut entries, &mut index);
        }
        Ok(())
    })?;
    Ok((Gazetteer::new(entries), counts))
}

fn add_document_mentions(
    doc: &AnnotatedDocument,
    types: &[String],
    entries: &mut Vec<Entry>,
    index: &mut HashMap<String, usize>,
) {
    let chars: Vec<(usize, char)> = doc.document.text.char_indices().collect();
    let byte = |c: usize| chars.get(c).map_or(doc.document.text.len(), |&(b, _)| b);
    let mut seen_here = FxHashSet::default();
    for s in &doc.spans {
        let text = &doc.document.text[byte(s.begin)..byte(s.end)];
        let Some(k) = types.iter().position(|t| *t == s.entity_type) else {
            continue;
        };
        if text.trim().is_empty() || !seen_here.insert(text) {
            continue;
        }
        let i = *index.entry(text.to_owned()).or_insert_with(|| {
            entries.push(Entry {
                text: text.to_owned(),
                entity_type: k as u16,
                from_list: false,
                documents: 0,
            });
            entries.len() - 1
        });
        entries[i].documents += 1;
    }
}

/// The held-out documents the temperature is fitted on: the first documents of `test`, in
/// order, until their state scores reach `CALIBRATION_SCORES` (so memory is bounded whatever
/// the size of the test set), with their gold labels.
pub(super) fn calibration_sample(
    model: &Recognizer,
    test: &dyn Corpus,
) -> Result<Vec<Held>, NerError> {
    let types = model.entity_types();
    let mut held = Vec::new();
    let mut size = 0usize;
    let full = |size: usize| size >= CALIBRATION_SCORES;
    let result = test.for_each(&mut |d| {
        let text = &d.document.text;
        let mut cuts: Vec<usize> = d.spans.iter().flat_map(|s| [s.begin, s.end]).collect();
        cuts.sort_unstable();
        cuts.dedup();
        let tokens = tokenize_with_cuts(text, &cuts);
        if !tokens.is_empty() {
            let gold = tags::encode(&tokens, &d.spans, |t| types.iter().position(|x| x == t));
            let scores = model.state_scores(text, &tokens);
            size += scores.len();
            held.push((scores, gold));
        }
        // Stopping early is not an error: Stopped is the cheapest way to leave the pass.
        if full(size) {
            Err(NerError::Stopped)
        } else {
            Ok(())
        }
    });
    match result {
        Err(NerError::Stopped) if full(size) => Ok(held),
        other => other.map(|()| held),
    }
}

/// Per-type exact-match counts of `model` over `test`, detected in parallel batches.
pub(super) fn count(model: &Recognizer, test: &dyn Corpus) -> Result<Vec<Counts>, NerError> {
    let mut total = vec![Counts::default(); model.entity_types().len()];
    for_each_batch(test, EVAL_BATCH, &mut |batch| {
        for (sum, c) in total.iter_mut().zip(model.count(batch)) {
            sum.tp += c.tp;
            sum.fp += c.fp;
            sum.fn_ += c.fn_;
        }
        Ok(())
    })?;
    Ok(total)
}
