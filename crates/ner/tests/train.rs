//! Training end to end on a small synthetic corpus: offsets, determinism, entity lists,
//! limits, cancellation, model bytes.

mod common;

use std::sync::atomic::AtomicBool;

use common::{corpus, fill, small_limits, types};
use comprehend_ner::{
    AnnotatedDocument, Document, EntityList, Learner, NerError, Recognizer, TrainParams, Trained,
    train,
};

fn params() -> TrainParams {
    TrainParams {
        limits: small_limits(),
        ..Default::default()
    }
}

fn fit(docs: Vec<AnnotatedDocument>, params: &TrainParams) -> Result<Trained, NerError> {
    train(
        docs,
        None,
        &types(),
        None,
        params,
        &mut |_| {},
        &AtomicBool::new(false),
    )
}

#[test]
fn detects_with_code_point_offsets_after_emoji_and_accents() {
    let model = fit(corpus(80), &params()).unwrap().model;
    let (plain, _) = fill(
        "Yesterday {P} flew to {C} for a meeting.",
        "Bo Chen",
        "Oslo",
    );
    let text = format!("😀 Café déjà vu. {plain}");
    let found = model.detect(&text);
    let chars: Vec<char> = text.chars().collect();
    let person = found
        .iter()
        .find(|e| e.entity_type == "PERSON")
        .expect("a person");
    assert_eq!(person.text, "Bo Chen");
    assert_eq!(
        chars[person.begin..person.end].iter().collect::<String>(),
        "Bo Chen"
    );
    assert_eq!(person.begin, text.chars().position(|c| c == 'B').unwrap());
    for e in &found {
        assert!(e.score > 0.0 && e.score <= 1.0, "{e:?}");
        assert_eq!(chars[e.begin..e.end].iter().collect::<String>(), e.text);
    }
    assert!(found.windows(2).all(|w| w[0].end <= w[1].begin));
}

#[test]
fn same_seed_same_bytes_for_both_learners() {
    for learner in [Learner::Perceptron, Learner::Crf] {
        let p = TrainParams {
            learner,
            max_iterations: if learner == Learner::Crf { 15 } else { 5 },
            ..params()
        };
        let a = fit(corpus(40), &p).unwrap();
        let b = fit(corpus(40), &p).unwrap();
        assert_eq!(a.model.to_bytes(), b.model.to_bytes(), "{learner:?}");
        assert_eq!(a.evaluation, b.evaluation);
    }
}

#[test]
fn crf_learner_finds_the_mentions() {
    let p = TrainParams {
        learner: Learner::Crf,
        max_iterations: 40,
        ..params()
    };
    let trained = fit(corpus(60), &p).unwrap();
    assert!(
        trained.evaluation.overall.f1_score > 90.0,
        "{:?}",
        trained.evaluation
    );
}

#[test]
fn evaluation_counts_documents_and_mentions() {
    let trained = fit(corpus(50), &params()).unwrap();
    let e = &trained.evaluation;
    assert_eq!(e.number_of_test_documents, 5);
    assert_eq!(e.number_of_trained_documents, 45);
    assert_eq!(e.per_type[0].entity_type, "PERSON");
    assert_eq!(e.per_type[0].number_of_train_mentions, 45);
    assert!(e.overall.f1_score > 90.0, "{e:?}");
    let again = trained.model.evaluate(&corpus(8));
    assert_eq!(
        (
            again.number_of_trained_documents,
            again.number_of_test_documents
        ),
        (0, 8)
    );
    assert_eq!(again.per_type[1].number_of_train_mentions, 0);
}

#[test]
fn entity_list_training_finds_an_unlisted_name_in_context() {
    // Documents are annotated by the list only; "Zed Quill" is in no list and no document.
    let docs: Vec<Document> = corpus(80).into_iter().map(|d| d.document).collect();
    let mut entries: Vec<(String, String)> = common::PEOPLE
        .iter()
        .map(|p| (p.to_string(), "PERSON".to_string()))
        .collect();
    entries.extend(
        common::CITIES
            .iter()
            .map(|c| (c.to_string(), "CITY".to_string())),
    );
    let list = EntityList::from_entries(entries);
    let annotated = list.annotate(docs, &types());
    assert_eq!(annotated[0].spans.len(), 2);
    let trained = train(
        annotated,
        None,
        &types(),
        Some(&list),
        &params(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    let found = trained
        .model
        .detect("Yesterday Zed Quill flew to Rome for a meeting.");
    assert!(
        found
            .iter()
            .any(|e| e.text == "Zed Quill" && e.entity_type == "PERSON"),
        "{found:?}"
    );
}

#[test]
fn too_few_documents_and_mentions() {
    let err = fit(corpus(2), &params()).unwrap_err();
    assert!(matches!(
        err,
        NerError::TooFewDocuments { count: 2, min: 3 }
    ));
    let err = fit(corpus(10), &TrainParams::default()).unwrap_err();
    assert!(
        matches!(err, NerError::TooFewMentions { ref entity_type, count: 10, min: 25 } if entity_type == "PERSON")
    );
    assert!(
        err.to_string()
            .contains("too few documents that mention one of the entities")
    );
}

#[test]
fn test_data_must_cover_every_type() {
    let mut test = corpus(4);
    for d in &mut test {
        d.spans.retain(|s| s.entity_type == "PERSON");
    }
    let err = train(
        corpus(40),
        Some(test),
        &types(),
        None,
        &params(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert!(matches!(err, NerError::TestMissingType { ref entity_type } if entity_type == "CITY"));
}

#[test]
fn entity_types_are_checked() {
    let run = |t: Vec<String>| {
        train(
            corpus(40),
            None,
            &t,
            None,
            &params(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
    };
    assert!(matches!(run(vec![]), Err(NerError::EntityTypes(_))));
    assert!(matches!(
        run(vec!["A,B".into()]),
        Err(NerError::EntityTypes(_))
    ));
    let many: Vec<String> = (0..26).map(|i| format!("T{i}")).collect();
    assert!(matches!(run(many), Err(NerError::EntityTypes(_))));
}

#[test]
fn cancellation_stops_and_progress_rises() {
    let cancel = AtomicBool::new(true);
    let err = train(
        corpus(40),
        None,
        &types(),
        None,
        &params(),
        &mut |_| {},
        &cancel,
    )
    .unwrap_err();
    assert!(matches!(err, NerError::Stopped));
    let mut seen = Vec::new();
    fit_with_progress(&mut seen);
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert_eq!(seen.last(), Some(&1.0));
}

fn fit_with_progress(seen: &mut Vec<f64>) {
    train(
        corpus(40),
        None,
        &types(),
        None,
        &params(),
        &mut |p| seen.push(p.fraction),
        &AtomicBool::new(false),
    )
    .unwrap();
}

#[test]
fn model_bytes_round_trip_and_reject_damage() {
    let model = fit(corpus(40), &params()).unwrap().model;
    let bytes = model.to_bytes();
    assert_eq!(&bytes[..8], b"CNERMODL");
    let again = Recognizer::from_bytes(&bytes).unwrap();
    let text = "In Lima , Ann Lee opened a small bakery.";
    assert_eq!(again.detect(text), model.detect(text));
    assert_eq!(again.entity_types(), model.entity_types());
    let mut damaged = bytes.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    assert!(matches!(
        Recognizer::from_bytes(&damaged),
        Err(NerError::BadModel(_))
    ));
    assert!(matches!(
        Recognizer::from_bytes(&bytes[..10]),
        Err(NerError::BadModel(_))
    ));
    assert!(matches!(
        Recognizer::from_bytes(b"CMLMODEL0000000000000000"),
        Err(NerError::BadModel(_))
    ));
    let mut version = bytes;
    version[8] = 9;
    assert!(matches!(
        Recognizer::from_bytes(&version),
        Err(NerError::BadModel(_))
    ));
}

#[test]
fn empty_and_blank_text_detect_nothing() {
    let model = fit(corpus(40), &params()).unwrap().model;
    assert!(model.detect("").is_empty());
    assert!(model.detect("   \n").is_empty());
}

#[test]
fn recognizer_can_move_between_threads() {
    fn check<T: Send + Sync>() {}
    check::<Recognizer>();
    check::<NerError>();
}

#[test]
fn hand_built_spans_out_of_range_or_overlapping_are_dropped() {
    let mut docs = corpus(40);
    let bad = [(5, 2), (0, 9999), (1, 3), (2, 4)];
    for (b, e) in bad {
        docs[0].spans.push(comprehend_ner::Span {
            begin: b,
            end: e,
            entity_type: "CITY".into(),
        });
    }
    let trained = fit(docs, &params()).unwrap();
    assert!(trained.evaluation.overall.f1_score > 80.0);
}

#[test]
fn same_bytes_whatever_the_thread_count() {
    let run = |threads: usize, learner: Learner| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let p = TrainParams {
            learner,
            max_iterations: 8,
            ..params()
        };
        pool.install(|| fit(corpus(40), &p).unwrap().model.to_bytes())
    };
    for learner in [Learner::Perceptron, Learner::Crf] {
        assert_eq!(run(1, learner), run(3, learner), "{learner:?}");
    }
}
