//! Training over streamed corpora: documents kept in scratch files and scratch space on disk
//! give exactly the model that in-memory training gives.

mod common;

use std::io;
use std::sync::atomic::AtomicBool;

use common::{corpus, small_limits, types};
use comprehend_ner::{
    AnnotatedDocument, Corpus, NerError, Scratch, SpilledCorpus, TrainParams, Trained, train,
    train_corpus,
};

fn params(max_iterations: u64) -> TrainParams {
    TrainParams {
        limits: small_limits(),
        max_iterations,
        ..Default::default()
    }
}

fn spill(docs: &[AnnotatedDocument]) -> SpilledCorpus<std::fs::File> {
    let mut spilled = SpilledCorpus::new(tempfile::tempfile().unwrap());
    for d in docs {
        spilled.push(d).unwrap();
    }
    spilled
}

fn in_files(train: &dyn Corpus, test: Option<&dyn Corpus>, p: &TrainParams) -> Trained {
    train_corpus(
        train,
        test,
        &types(),
        None,
        p,
        &mut || Ok(Box::new(tempfile::tempfile()?)),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

fn in_memory(
    train_docs: Vec<AnnotatedDocument>,
    test: Option<Vec<AnnotatedDocument>>,
    p: &TrainParams,
) -> Trained {
    train(
        train_docs,
        test,
        &types(),
        None,
        p,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

#[test]
fn spilled_and_in_memory_training_give_the_same_model() {
    let (docs, test) = (corpus(120), corpus(30));
    let p = params(20);
    let a = in_memory(docs.clone(), None, &p);
    let b = in_files(&spill(&docs), None, &p);
    assert_eq!(a.model.to_bytes(), b.model.to_bytes());
    assert_eq!(a.evaluation, b.evaluation);
    let a = in_memory(docs.clone(), Some(test.clone()), &p);
    let b = in_files(&spill(&docs), Some(&spill(&test)), &p);
    assert_eq!(a.model.to_bytes(), b.model.to_bytes());
    assert_eq!(a.evaluation, b.evaluation);
}

/// Past four blocks of 4,096 documents the perceptron shuffles within windows of blocks read
/// back from scratch; the model must still not depend on where the data lives or on threads.
#[test]
fn windowed_shuffle_is_deterministic_and_storage_independent() {
    let docs = corpus(4 * 4096 + 300);
    let p = params(2);
    let single = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let a = single.install(|| in_memory(docs.clone(), None, &p));
    let b = in_files(&spill(&docs), None, &p);
    assert_eq!(a.model.to_bytes(), b.model.to_bytes());
    assert!(a.evaluation.overall.f1_score > 90.0);
}

/// Scratch space that accepts `room` bytes, then fails like a full disk.
struct Full {
    bytes: Vec<u8>,
    room: usize,
}

impl Scratch for Full {
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.bytes.len() + bytes.len() > self.room {
            return Err(io::Error::other("No space left on device"));
        }
        self.bytes.extend_from_slice(bytes);
        Ok(())
    }

    fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.bytes.read_at(offset, buf)
    }
}

#[test]
fn a_failing_scratch_space_is_an_error_the_user_can_act_on() {
    let err = train_corpus(
        &corpus(60),
        None,
        &types(),
        None,
        &params(3),
        &mut || {
            Ok(Box::new(Full {
                bytes: Vec::new(),
                room: 100,
            }))
        },
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert!(matches!(err, NerError::Scratch(_)));
    assert!(
        err.to_string()
            .starts_with("Training could not use its scratch space: No space left on device."),
        "{err}"
    );
    let err = train_corpus(
        &corpus(60),
        None,
        &types(),
        None,
        &params(3),
        &mut || Err(io::Error::other("no temporary directory")),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert!(matches!(err, NerError::Scratch(_)));
}
