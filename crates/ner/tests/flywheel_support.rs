//! What a flywheel needs of the engine beside training: the automatic split on its own, an
//! evaluation over a streamed corpus, and annotations written in the format they are read.

mod common;

use std::sync::atomic::AtomicBool;

use common::{corpus, small_limits, types};
use comprehend_ner::{
    AnnotatedDocument, AnnotationWriter, InputFormat, Limits, TrainParams, attach_annotations,
    holdout_corpus, read_annotations, read_documents, train,
};

fn params() -> TrainParams {
    TrainParams {
        limits: small_limits(),
        max_iterations: 5,
        ..Default::default()
    }
}

/// Training on the two sides of `holdout_corpus` gives the very model (and evaluation) that
/// training on the whole corpus with the automatic split gives.
#[test]
fn holdout_corpus_is_the_split_training_makes() {
    let docs = corpus(120);
    let p = params();
    let split = holdout_corpus(&docs, &types(), &p).unwrap();
    let (mut train_part, mut test_part) = (Vec::new(), Vec::new());
    for (i, d) in docs.iter().enumerate() {
        if split.contains(i) {
            test_part.push(d.clone());
        } else {
            train_part.push(d.clone());
        }
    }
    assert!(!test_part.is_empty() && test_part.len() < docs.len() / 4);
    let cancel = AtomicBool::new(false);
    let auto = train(docs, None, &types(), None, &p, &mut |_| {}, &cancel).unwrap();
    let explicit = train(
        train_part,
        Some(test_part),
        &types(),
        None,
        &p,
        &mut |_| {},
        &cancel,
    )
    .unwrap();
    assert_eq!(auto.model.to_bytes(), explicit.model.to_bytes());
    assert_eq!(
        format!("{:?}", auto.evaluation),
        format!("{:?}", explicit.evaluation)
    );
}

#[test]
fn evaluate_corpus_equals_evaluate() {
    let docs = corpus(80);
    let cancel = AtomicBool::new(false);
    let trained = train(docs, None, &types(), None, &params(), &mut |_| {}, &cancel).unwrap();
    let held = corpus(150)[80..].to_vec();
    let streamed = trained.model.evaluate_corpus(&held).unwrap();
    assert_eq!(
        format!("{streamed:?}"),
        format!("{:?}", trained.model.evaluate(&held))
    );
    assert_eq!(streamed.number_of_test_documents, 70);
}

/// Rows written by `AnnotationWriter` read back, with the documents, into the same spans.
#[test]
fn annotation_writer_round_trips_through_the_reader() {
    let docs: Vec<AnnotatedDocument> = corpus(30);
    let mut text = String::new();
    let mut writer = AnnotationWriter::new(Vec::new()).unwrap();
    for (i, d) in docs.iter().enumerate() {
        text.push_str(&d.document.text);
        text.push('\n');
        for s in &d.spans {
            writer.write("documents.txt", i as u64, s).unwrap();
        }
    }
    let csv = writer.finish().unwrap();
    let read = read_documents(
        "documents.txt",
        text.as_bytes(),
        InputFormat::OneDocPerLine,
        &Limits::default(),
    )
    .unwrap();
    let notes = read_annotations("annotations.csv", &csv[..], InputFormat::OneDocPerLine).unwrap();
    let attached = attach_annotations(read, notes, &types()).unwrap();
    assert_eq!(attached.documents.len(), docs.len());
    for (got, want) in attached.documents.iter().zip(&docs) {
        assert_eq!(got.document.text, want.document.text);
        assert_eq!(got.spans, want.spans);
    }
}
