//! comprehend-ner: the custom entity recognizer engine of comprehend-local — Amazon
//! Comprehend's custom entity recognition, trained for real on the local machine.
//!
//! Pure: no async, no files, no network. Input arrives through `std::io::Read`; models leave
//! and return as bytes; the scratch space training spills to is whatever [`Scratch`] the
//! caller passes (a `Vec<u8>`, or a temporary file it opened). CPU work runs on rayon's thread pool. All offsets are Unicode code
//! points, end exclusive, as Comprehend counts them.
//!
//! # Pipeline
//! 1. **Formats** ([`formats`]) — [`read_documents`] (one document per line or per file,
//!    UTF-8, at most [`Limits::max_document_bytes`]), [`read_annotations`] (the
//!    `File, Line, Begin Offset, End Offset, Type` CSV) and [`attach_annotations`],
//!    [`read_entity_list`] (`Text, Type`), [`read_manifest`] (Ground Truth NER augmented
//!    manifests). A bad record is a [`FormatError`] naming the object and line, in the service's
//!    own wording where it is known. Annotations of types that are not among the recognizer's
//!    entity types are dropped and counted ([`Attached::ignored`]), as the service ignores them.
//!    Each reader has a streaming form that never holds a whole object: [`for_each_document`]
//!    (buffers at most one document, so a huge line costs nothing), [`for_each_manifest_document`],
//!    [`read_annotations_into`] an [`AnnotationIndex`] (about 32 bytes per annotation) that
//!    [`AnnotationIndex::attach`]es each document as it is read, and [`EntityList::annotate_one`].
//! 2. **Tokens** ([`tokenize`]) — words (with inner `-`, `'`, `.`) and single punctuation marks,
//!    with code-point and byte offsets; in training, tokens are also cut at annotation
//!    boundaries so every mention is token-aligned.
//! 3. **Tags** ([`tags`]) — BIO over at most 25 types (≤ 51 labels); sequences may not enter
//!    `I-X` except from `B-X`/`I-X`, in training and in decoding.
//! 4. **Features** ([`features`]) — word, lower case, shapes, affixes, flags, neighbours at ±1/±2
//!    with begin/end markers, bigrams, and a gazetteer tag from the entity list and the training
//!    mentions ([`gazetteer`]: case-sensitive, leftmost-longest, on token boundaries). Attributes
//!    are stable 64-bit hashes, interned at training into a table of the (attribute, label)
//!    pairs seen, so the model grows with that table, not with attributes × labels or with the
//!    number of documents. While training, a word's own attributes (and what it tells its
//!    neighbours) are stored once per distinct word, in memory; a token keeps only its word id,
//!    a few position-dependent attribute ids (bigrams, gazetteer, sequence edges) and its label
//!    — 20–30 bytes per token, written to scratch space in blocks of up to 4,096 documents.
//! 5. **Learner** ([`Learner`]) — by default an averaged structured perceptron (20 epochs in a
//!    seeded order, constrained Viterbi in the loop, lazily averaged weights); optionally a
//!    linear-chain CRF (L2-regularised log-likelihood, argmin's L-BFGS, gradient over fixed
//!    sequence chunks in parallel summed in a fixed order). Both are deterministic for a seed.
//!    The perceptron is the default because on wikigold it reaches the CRF's F1 in about a
//!    twentieth of the time (see BENCHMARKS.md). In training documents the gazetteer feature is
//!    hidden for a seeded share of matches and for forms only that document annotates, so the
//!    tagger also learns names from their context.
//! 6. **Training** ([`train_corpus`], and [`train`] for documents in memory) — checks the
//!    entity types and [`Limits`], holds out about 10 % of the documents when no test data is
//!    given ([`split`]: seeded, at least one document, each type given a test mention where
//!    possible, no type losing its last training document), fits, calibrates scores,
//!    evaluates; reports [`Progress`] and checks a cancellation flag between epochs or
//!    optimizer iterations ([`NerError::Stopped`]). The corpora are [`Corpus`]es read one
//!    document at a time, several times ([`SpilledCorpus`] keeps one in a [`Scratch`] such as a
//!    temporary file); the encoded tokens go to scratch space and the perceptron reads them
//!    back every epoch. Memory grows with the feature table (distinct attributes and their
//!    labels), the distinct words and the gazetteer, not with the number of documents —
//!    except one bit per document for the automatic split (8 bytes while it is chosen), and
//!    for the CRF learner, which keeps its encoded tokens in memory.
//!    Entity-list training annotates the documents with [`EntityList::annotate`] and trains
//!    the same tagger, which then also finds names the list lacks.
//! 7. **Detection** ([`Recognizer::detect`]) — constrained Viterbi; entities in text order,
//!    never overlapping, `text` the exact substring. `score` is the probability that exactly
//!    this span carries exactly this type (`B-X I-X…`, the next token not `I-X`) under the
//!    linear-chain distribution the weights define, from a forward-backward pass: in (0, 1].
//!    The weights are first divided by one temperature fitted after training to maximise the
//!    held-out documents' likelihood — for the CRF this is close to 1; for the perceptron,
//!    whose weights have no probabilistic scale, it is what makes the score a calibrated
//!    approximation (on wikigold the mean score of detected entities is close to precision).
//!    The temperature changes no prediction.
//! 8. **Metrics** ([`metrics`]) — exact (begin, end, type) matches; per type and micro overall
//!    precision, recall and F1 on Comprehend's 0–100 scale; a zero denominator gives 0.0.
//! 9. **Model bytes** — [`Recognizer::to_bytes`] / [`Recognizer::from_bytes`]: `CNERMODL`,
//!    version, CRC-32, postcard payload.
//!
//! # Threads and determinism
//! Feature extraction (in batches), the CRF gradient and evaluation run on rayon's pool; ids are
//! interned in document order, the CRF gradient is summed over a fixed number of chunks in a fixed order,
//! the perceptron and the split follow SplitMix64 streams from the seed. The same data,
//! parameters and seed give the same model bytes whatever the thread count.
//!
//! # Example
//! ```
//! use std::sync::atomic::AtomicBool;
//! use comprehend_ner::*;
//!
//! let names = ["Ann Lee", "Bo Chen", "Cy Diaz", "Di Evans", "Ed Fox"];
//! let mut docs = Vec::new();
//! for i in 0..40 {
//!     let name = names[i % names.len()];
//!     let text = format!("Yesterday {name} visited the office number {i}.");
//!     let spans = vec![Span { begin: 10, end: 10 + name.chars().count(), entity_type: "PERSON".into() }];
//!     docs.push(AnnotatedDocument { document: Document { file: "d.txt".into(), line: Some(i as u64), text }, spans });
//! }
//! let types = vec!["PERSON".to_string()];
//! let trained = train(docs, None, &types, None, &TrainParams::default(), &mut |_| {},
//!                     &AtomicBool::new(false)).unwrap();
//! let found = trained.model.detect("Yesterday Bo Chen visited the office.");
//! assert_eq!((found[0].begin, found[0].end, found[0].text.as_str()), (10, 17, "Bo Chen"));
//! let again = Recognizer::from_bytes(&trained.model.to_bytes()).unwrap();
//! assert_eq!(again.detect("Yesterday Bo Chen visited the office."), found);
//! ```

mod calibrate;
mod corpus;
mod crf;
mod document;
mod encoded;
mod error;
pub mod features;
pub mod formats;
pub mod gazetteer;
mod lbfgs;
pub mod metrics;
mod model;
mod objective;
mod perceptron;
pub mod split;
pub mod tags;
pub mod tokenize;
mod train;
mod viterbi;

pub use corpus::{Corpus, Scratch, SpilledCorpus};
pub use document::{AnnotatedDocument, Document, InputFormat, Limits, MAX_ENTITY_TYPES, Span};
pub use error::{FormatError, FormatErrorKind, NerError};
pub use formats::annotations::{
    Annotation, AnnotationWriter, Attached, attach_annotations, read_annotations,
};
pub use formats::documents::{for_each_document, read_documents};
pub use formats::entity_list::{EntityList, MAX_ENTRIES, MAX_ENTRY_CHARS, read_entity_list};
pub use formats::index::{AnnotationIndex, read_annotations_into};
pub use formats::manifest::{for_each_manifest_document, read_manifest};
pub use metrics::{Evaluation, Scores, TypeEvaluation};
pub use model::{Entity, MODEL_FORMAT_VERSION, Recognizer};
pub use train::{
    Learner, Progress, TrainParams, Trained, check_entity_types, holdout_corpus, train,
    train_corpus,
};
