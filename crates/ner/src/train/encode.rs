//! Feature encoding of the training documents: extracted in parallel in bounded batches,
//! interned serially in document order (so ids do not depend on threads or batch sizes), and
//! written to scratch space as blocks of sequences; only the tables that grow with distinct
//! words and attributes stay in memory.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::TrainParams;
use crate::corpus::{Corpus, Scratch};
use crate::crf::FeatureTable;
use crate::encoded::{BlockStore, Encoded, Tokens, WordTable};
use crate::gazetteer::Gazetteer;
use crate::model::gaz_tags;
use crate::split::SplitMix64;
use crate::tokenize::tokenize_with_cuts;
use crate::{AnnotatedDocument, NerError, features, tags};

/// Most documents extracted in parallel at a time; a batch becomes one block of sequences.
pub(crate) const BATCH_DOCS: usize = 4096;

/// Most text (bytes) in one batch, so long documents do not make large blocks.
const BATCH_BYTES: usize = 1 << 20;

/// One training document's words, position-dependent attributes and gold labels.
pub(super) struct DocFeatures {
    words: Vec<String>,
    context: Vec<u64>,
    context_ends: Vec<u32>,
    gold: Vec<u16>,
}

fn doc_features(
    d: usize,
    doc: &AnnotatedDocument,
    types: &[String],
    gaz: &Gazetteer,
    params: &TrainParams,
) -> DocFeatures {
    let text = &doc.document.text;
    let mut cuts: Vec<usize> = doc.spans.iter().flat_map(|s| [s.begin, s.end]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let tokens = tokenize_with_cuts(text, &cuts);
    let gold = tags::encode(&tokens, &doc.spans, |t| types.iter().position(|x| x == t));
    let own: FxHashSet<&str> = doc
        .spans
        .iter()
        .filter_map(|s| {
            let b = tokens.iter().find(|t| t.begin == s.begin)?.byte_begin;
            let e = tokens.iter().find(|t| t.end == s.end)?.byte_end;
            Some(&text[b..e])
        })
        .collect();
    let matches: Vec<_> = gaz
        .find(text, &tokens)
        .into_iter()
        .filter(|m| {
            let e = &gaz.entries()[m.entry];
            // Leave one out: a form only this document annotates would be a perfect clue here
            // and absent on new text.
            let only_here = !e.from_list && e.documents <= 1 && own.contains(e.text.as_str());
            let mut rng = SplitMix64::new(params.seed ^ ((d as u64) << 20) ^ m.start as u64);
            let dropped =
                (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= params.gazetteer_dropout;
            !only_here && !dropped
        })
        .collect();
    let tags = gaz_tags(gaz, &matches, tokens.len());
    let words: Vec<features::Word<'_>> = tokens
        .iter()
        .map(|t| features::Word::new(t.text(text)))
        .collect();
    let (mut context, mut context_ends) = (Vec::new(), Vec::new());
    for i in 0..words.len() {
        features::context_attributes(&words, &tags, i, &mut context);
        context_ends.push(context.len() as u32);
    }
    DocFeatures {
        words: tokens.iter().map(|t| t.text(text).to_owned()).collect(),
        context,
        context_ends,
        gold,
    }
}

/// Extracts the features of the training documents batch by batch, in parallel, then interns
/// each batch in document order into the feature table, the word table and a block of
/// sequences written to `scratch`. `progress` gets the number of documents done after each
/// batch; `cancel` is checked before each.
pub(super) fn encode(
    train: &dyn Corpus,
    types: &[String],
    gaz: &Gazetteer,
    params: &TrainParams,
    scratch: Box<dyn Scratch>,
    progress: &mut dyn FnMut(usize),
    cancel: &AtomicBool,
) -> Result<(FeatureTable, WordTable, BlockStore), NerError> {
    let mut interner = Interner::default();
    let mut words = WordTable::default();
    let mut store = BlockStore::new(scratch);
    let mut block = Tokens::default();
    let mut first = 0usize;
    for_each_text_batch(train, &mut |batch| {
        if cancel.load(Ordering::Relaxed) {
            return Err(NerError::Stopped);
        }
        let docs: Vec<DocFeatures> = batch
            .par_iter()
            .enumerate()
            .map(|(i, doc)| doc_features(first + i, doc, types, gaz, params))
            .collect();
        first += batch.len();
        block.clear();
        for doc in docs {
            interner.add(&doc, &mut words, &mut block);
        }
        store.push(&block).map_err(NerError::Scratch)?;
        progress(first);
        Ok(())
    })?;
    Ok((
        FeatureTable::build(interner.order, interner.ids, &interner.seen),
        words,
        store,
    ))
}

/// Calls `f` with batches of at most [`BATCH_DOCS`] documents, but a batch also ends once its texts reach
/// [`BATCH_BYTES`].
fn for_each_text_batch(
    corpus: &dyn Corpus,
    f: &mut dyn FnMut(&[AnnotatedDocument]) -> Result<(), NerError>,
) -> Result<(), NerError> {
    let mut batch = Vec::new();
    let mut bytes = 0;
    corpus.for_each(&mut |doc| {
        bytes += doc.document.text.len();
        batch.push(doc.clone());
        if batch.len() >= BATCH_DOCS || bytes >= BATCH_BYTES {
            f(&batch)?;
            batch.clear();
            bytes = 0;
        }
        Ok(())
    })?;
    if batch.is_empty() { Ok(()) } else { f(&batch) }
}

/// Attribute ids in order of first sight, distinct words, and the labels seen with each
/// attribute.
#[derive(Default)]
struct Interner {
    ids: FxHashMap<u64, u32>,
    order: Vec<u64>,
    words: FxHashMap<String, u32>,
    /// Per attribute id, the labels seen with it (bit `y` for label `y`).
    seen: Vec<u64>,
    scratch: Vec<u64>,
}

impl Interner {
    /// Appends one document's sequence to `block`, interning its words and attributes and
    /// recording the (attribute, label) pairs it shows.
    fn add(&mut self, doc: &DocFeatures, words: &mut WordTable, block: &mut Tokens) {
        let first = block.words.len();
        for word in &doc.words {
            let id = self.word(word, words);
            block.words.push(id);
        }
        let mut start = 0;
        for &end in &doc.context_ends {
            for &h in &doc.context[start..end as usize] {
                let id = self.attribute(h);
                block.context.push(id);
            }
            block.context_ends.push(block.context.len() as u32);
            start = end as usize;
        }
        block.gold.extend_from_slice(&doc.gold);
        block.seq_ends.push(block.gold.len() as u32);
        let seq = first..block.words.len();
        let data = Encoded {
            table: words,
            seqs: block,
        };
        for token in seq.clone() {
            let label = block.gold[token];
            data.for_each_id(token, &seq, |a| {
                self.seen[a as usize] |= 1 << label;
            });
        }
    }

    fn attribute(&mut self, h: u64) -> u32 {
        *self.ids.entry(h).or_insert_with(|| {
            self.order.push(h);
            self.seen.push(0);
            self.order.len() as u32 - 1
        })
    }

    /// The id of `text` as a word, storing its attributes in `enc` when it is new.
    fn word(&mut self, text: &str, enc: &mut WordTable) -> u32 {
        if let Some(&id) = self.words.get(text) {
            return id;
        }
        let word = features::Word::new(text);
        let mut own = std::mem::take(&mut self.scratch);
        own.clear();
        features::own_attributes(&word, &mut own);
        for &h in &own {
            let id = self.attribute(h);
            enc.own.push(id);
        }
        self.scratch = own;
        enc.own_ends.push(enc.own.len() as u32);
        let mut neighbour = [0u32; 8];
        for slot in 0..features::OFFSETS.len() {
            let [lower, shape] = features::neighbour_attributes(&word, slot);
            neighbour[2 * slot] = self.attribute(lower);
            neighbour[2 * slot + 1] = self.attribute(shape);
        }
        enc.neighbour.push(neighbour);
        let id = self.words.len() as u32;
        self.words.insert(text.to_owned(), id);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;
    use crate::{Document, Span};

    /// The compact training encoding must give every token exactly the attributes that
    /// detection computes for it, or the model would be trained on other features.
    #[test]
    fn training_encoding_matches_detection_features() {
        let text = "Ann Lee met Bob in Paris , then Ann left .";
        let doc = AnnotatedDocument {
            document: Document {
                file: "f".into(),
                line: None,
                text: text.into(),
            },
            spans: vec![Span {
                begin: 0,
                end: 7,
                entity_type: "PER".into(),
            }],
        };
        let types = vec!["PER".to_string()];
        let params = TrainParams {
            gazetteer_dropout: 0.0,
            ..TrainParams::default()
        };
        let gaz = Gazetteer::new(Vec::new());
        let docs = vec![doc];
        let (table, words, store) = encode(
            &docs,
            &types,
            &gaz,
            &params,
            Box::new(Vec::new()),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
        let mut seqs = Tokens::default();
        store.load(&[0], &mut seqs).unwrap();
        let enc = Encoded {
            table: &words,
            seqs: &seqs,
        };
        let tokens = tokenize(text);
        let (mut hashes, mut ends) = (Vec::new(), Vec::new());
        features::extract(
            text,
            &tokens,
            &vec![None; tokens.len()],
            &mut hashes,
            &mut ends,
        );
        let seq = enc.tokens(0);
        let mut start = 0;
        for (t, &end) in ends.iter().enumerate() {
            let mut expected = hashes[start..end as usize].to_vec();
            let mut got = Vec::new();
            enc.for_each_id(t, &seq, |a| got.push(table.hashes[a as usize]));
            expected.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, expected, "token {t}");
            start = end as usize;
        }
    }
}
