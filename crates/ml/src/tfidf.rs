//! TF-IDF features as scikit-learn's `TfidfVectorizer(sublinear_tf=True, min_df=…)` computes
//! them: counts of [`crate::tokenize`] tokens, `tf = 1 + ln(count)`, smooth IDF
//! `idf = ln((1 + n) / (1 + df)) + 1` learnt at fit time, rows scaled to unit L2 norm.
//!
//! Unlike linfa-preprocessing's vectorizer (see RUST-STACK.md) the IDF is fixed after fitting,
//! so one document transformed alone gets exactly the row it gets inside a batch: both go
//! through [`TfidfVectorizer::transform_one_into`]. Columns are ordered by document frequency
//! then alphabetically, so they do not depend on hashing.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::MlError;
use crate::sparse::{FeatureMatrix, SparseRecords};
use crate::tokenize::for_each_token;

/// Documents per parallel work unit. Fixed (not derived from the thread count) so that results
/// never depend on the machine.
const CHUNK_DOCS: usize = 4096;

/// A fitted vectorizer: vocabulary (term → column) and the IDF of every column.
#[derive(Debug, Clone)]
pub struct TfidfVectorizer {
    index: FxHashMap<Box<str>, u32>,
    idf: Vec<f32>,
}

/// Reusable per-thread scratch space for transforming documents.
#[derive(Default)]
pub struct Scratch {
    token: String,
    ids: Vec<u32>,
}

impl TfidfVectorizer {
    /// Learns vocabulary and IDF from `docs` (terms in at least `min_df` documents) and returns
    /// the vectorizer with the documents' feature matrix. Uses all rayon threads.
    pub fn fit_transform<T: AsRef<str> + Sync>(
        docs: &[T],
        min_df: usize,
    ) -> Result<(Self, SparseRecords), MlError> {
        let vectorizer = Self::fit(docs, min_df)?;
        let x = vectorizer.transform(docs);
        Ok((vectorizer, x))
    }

    /// Learns vocabulary and IDF from `docs`.
    pub fn fit<T: AsRef<str> + Sync>(docs: &[T], min_df: usize) -> Result<Self, MlError> {
        let min_df = min_df.max(1);
        // Document frequencies, counted per chunk then merged. `last` remembers the last
        // document that counted a term, so repeats inside a document count once without a
        // per-document set.
        let df: FxHashMap<Box<str>, (u32, u32)> = docs
            .par_chunks(CHUNK_DOCS)
            .enumerate()
            // One map per rayon task (not per chunk), so that merging stays cheap.
            .fold(
                || (FxHashMap::<Box<str>, (u32, u32)>::default(), String::new()),
                |(mut map, mut buf), (c, chunk)| {
                    for (i, doc) in chunk.iter().enumerate() {
                        // Ids start at 1 so that 0 never equals a real document.
                        let id = (c * CHUNK_DOCS + i + 1) as u32;
                        for_each_token(doc.as_ref(), &mut buf, |tok| match map.get_mut(tok) {
                            Some((n, last)) => {
                                if *last != id {
                                    *n += 1;
                                    *last = id;
                                }
                            }
                            None => {
                                map.insert(tok.into(), (1, id));
                            }
                        });
                    }
                    (map, buf)
                },
            )
            .map(|(map, _)| map)
            .reduce(FxHashMap::default, |mut a, mut b| {
                if a.len() < b.len() {
                    std::mem::swap(&mut a, &mut b);
                }
                // Documents of different tasks never overlap, so counts simply add.
                for (term, (n, _)) in b {
                    a.entry(term).or_insert((0, 0)).0 += n;
                }
                a
            });
        let mut terms: Vec<(Box<str>, u32)> = df
            .into_iter()
            .filter(|(_, (n, _))| *n as usize >= min_df)
            .map(|(t, (n, _))| (t, n))
            .collect();
        if terms.is_empty() {
            return Err(MlError::EmptyVocabulary { min_df });
        }
        // Columns by descending document frequency (ties alphabetical): the few frequent
        // terms carry most non-zeros, and keeping their weights adjacent keeps them in cache
        // during training and scoring. The order is as deterministic as alphabetical.
        terms.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let n = docs.len() as f64;
        let idf = terms
            .iter()
            .map(|(_, df)| (((1.0 + n) / (1.0 + *df as f64)).ln() + 1.0) as f32)
            .collect();
        let index = terms
            .into_iter()
            .enumerate()
            .map(|(i, (t, _))| (t, i as u32))
            .collect();
        Ok(TfidfVectorizer { index, idf })
    }

    /// Rebuilds a vectorizer from a column-ordered vocabulary and its IDF (model loading).
    pub(crate) fn from_parts(terms: Vec<String>, idf: Vec<f32>) -> Result<Self, MlError> {
        if terms.len() != idf.len() {
            return Err(MlError::CorruptModel(format!(
                "{} terms but {} IDF values",
                terms.len(),
                idf.len()
            )));
        }
        let mut index = FxHashMap::with_capacity_and_hasher(terms.len(), Default::default());
        for (i, t) in terms.into_iter().enumerate() {
            if index.insert(t.into_boxed_str(), i as u32).is_some() {
                return Err(MlError::CorruptModel("duplicate vocabulary term".into()));
            }
        }
        Ok(TfidfVectorizer { index, idf })
    }

    /// The vocabulary in column order.
    pub fn terms(&self) -> Vec<&str> {
        let mut terms = vec![""; self.idf.len()];
        for (t, &i) in &self.index {
            terms[i as usize] = t;
        }
        terms
    }

    /// The IDF of every column.
    pub fn idf(&self) -> &[f32] {
        &self.idf
    }

    /// Number of features (columns).
    pub fn n_features(&self) -> usize {
        self.idf.len()
    }

    /// The column of `term`, if it is in the vocabulary.
    pub fn column(&self, term: &str) -> Option<u32> {
        self.index.get(term).copied()
    }

    /// Transforms many documents into a feature matrix, in parallel.
    pub fn transform<T: AsRef<str> + Sync>(&self, docs: &[T]) -> SparseRecords {
        let parts: Vec<(Vec<usize>, Vec<u32>, Vec<f32>)> = docs
            .par_chunks(CHUNK_DOCS)
            .map(|chunk| {
                let mut scratch = Scratch::default();
                let mut lens = Vec::with_capacity(chunk.len());
                let mut indices = Vec::new();
                let mut data = Vec::new();
                for doc in chunk {
                    let before = indices.len();
                    self.transform_one_into(doc.as_ref(), &mut scratch, &mut indices, &mut data);
                    lens.push(indices.len() - before);
                }
                (lens, indices, data)
            })
            .collect();
        let nnz: usize = parts.iter().map(|p| p.1.len()).sum();
        let mut indptr = Vec::with_capacity(docs.len() + 1);
        let mut indices = Vec::with_capacity(nnz);
        let mut data = Vec::with_capacity(nnz);
        indptr.push(0usize);
        for (lens, idx, val) in parts {
            for len in lens {
                indptr.push(indptr.last().copied().unwrap_or(0) + len);
            }
            indices.extend_from_slice(&idx);
            data.extend_from_slice(&val);
        }
        // Rows are built sorted and in range by `transform_one_into`; `try_new` checks it again
        // (one cheap pass) rather than trusting it with `unsafe`.
        let matrix = FeatureMatrix::try_new((docs.len(), self.n_features()), indptr, indices, data)
            .expect("rows are sorted and in range by construction");
        SparseRecords(matrix)
    }

    /// Appends one document's row (sorted column indices and values) to `indices` / `data`.
    pub fn transform_one_into(
        &self,
        text: &str,
        scratch: &mut Scratch,
        indices: &mut Vec<u32>,
        data: &mut Vec<f32>,
    ) {
        let ids = &mut scratch.ids;
        ids.clear();
        for_each_token(text, &mut scratch.token, |tok| {
            if let Some(&id) = self.index.get(tok) {
                ids.push(id);
            }
        });
        ids.sort_unstable();
        let start = data.len();
        let mut norm = 0f64;
        let mut k = 0;
        while k < ids.len() {
            let id = ids[k];
            let mut count = 1;
            while k + count < ids.len() && ids[k + count] == id {
                count += 1;
            }
            k += count;
            let v = (1.0 + (count as f64).ln()) * self.idf[id as usize] as f64;
            norm += v * v;
            indices.push(id);
            data.push(v as f32);
        }
        if norm > 0.0 {
            let inv = 1.0 / norm.sqrt();
            for v in &mut data[start..] {
                *v = (*v as f64 * inv) as f32;
            }
        }
    }

    /// One document's row as (column indices, values).
    pub fn transform_one(&self, text: &str) -> (Vec<u32>, Vec<f32>) {
        let mut indices = Vec::new();
        let mut data = Vec::new();
        self.transform_one_into(text, &mut Scratch::default(), &mut indices, &mut data);
        (indices, data)
    }
}
