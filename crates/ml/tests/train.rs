//! End-to-end training: split, fit, evaluation, determinism, progress and cancellation, both
//! modes, and the model file.

use std::sync::atomic::{AtomicBool, Ordering};

use comprehend_ml::{
    ConfusionMatrix, Document, MlError, Mode, Model, Phase, Progress, TrainParams, Trained,
    read_comprehend_csv, train,
};

fn fixture(name: &str) -> Vec<Document> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    read_comprehend_csv(std::fs::File::open(path).unwrap(), Mode::MultiClass, '|').unwrap()
}

fn quick(
    train_docs: Vec<Document>,
    test: Option<Vec<Document>>,
    params: &TrainParams,
) -> Result<Trained, MlError> {
    train(
        train_docs,
        test,
        params,
        &mut |_| {},
        &AtomicBool::new(false),
    )
}

/// A small multi-label corpus: topic words decide the labels, 1 to 2 labels a document.
fn multi_label_docs(n: usize) -> Vec<Document> {
    let topics = [
        ("FRUIT", ["apple", "cherry", "banana", "peach"]),
        ("SPORT", ["goal", "match", "referee", "striker"]),
        ("MUSIC", ["guitar", "melody", "chorus", "drummer"]),
    ];
    let filler = ["the", "a", "and", "with", "today", "people", "very", "some"];
    (0..n)
        .map(|i| {
            let first = i % 3;
            let second = (i / 3) % 4; // 3 of 4 documents get a second topic
            let mut labels = vec![topics[first].0.to_string()];
            let mut words = vec![topics[first].1[i % 4], topics[first].1[(i / 4) % 4]];
            if second < 3 && second != first {
                labels.push(topics[second].0.to_string());
                words.push(topics[second].1[(i / 7) % 4]);
                words.push(topics[second].1[(i / 5) % 4]);
            }
            words.extend([filler[i % 8], filler[(i / 8) % 8], filler[(i / 3) % 8]]);
            Document {
                text: words.join(" "),
                labels,
            }
        })
        .collect()
}

#[test]
fn multi_class_on_wordnet_fixture_matches_scikit_learn() {
    // scikit-learn 1.9.1 on the same files: TfidfVectorizer(sublinear_tf=True, min_df=2) +
    // LogisticRegression(C=1) → 362 features, accuracy 0.44, macro F1 0.4459338863750629.
    let trained = quick(
        fixture("wordnet10_300.csv"),
        Some(fixture("wordnet10_test_100.csv")),
        &TrainParams::new(Mode::MultiClass),
    )
    .unwrap();
    assert_eq!(trained.stats.n_features, 362);
    // The preconditioned L-BFGS meets scipy's gradient tolerance well before the cap.
    assert!(
        trained.stats.converged && trained.stats.iterations < 50,
        "{:?}",
        trained.stats
    );
    let m = trained.evaluation.metrics;
    assert!((m.accuracy - 0.44).abs() <= 0.02, "accuracy {}", m.accuracy);
    assert!(
        (m.f1_score - 0.4459).abs() <= 0.02,
        "macro F1 {}",
        m.f1_score
    );
    // Comprehend's metric identities for multi-class (Developer Guide, "Custom classifier
    // metrics": accuracy equals micro precision, recall and F1; Hamming loss is 1 − accuracy).
    assert_eq!(m.accuracy, m.micro_precision);
    assert_eq!(m.accuracy, m.micro_recall);
    assert_eq!(m.accuracy, m.micro_f1_score);
    assert!((m.hamming_loss - (1.0 - m.accuracy)).abs() < 1e-12);
    let ev = &trained.evaluation;
    assert_eq!(
        (
            ev.number_of_labels,
            ev.number_of_trained_documents,
            ev.number_of_test_documents
        ),
        (10, 300, 100)
    );
    assert!(ev.labels_missing_from_training.is_empty());
}

#[test]
fn without_test_data_ten_percent_is_held_out_per_label() {
    let trained = quick(
        fixture("wordnet10_300.csv"),
        None,
        &TrainParams::new(Mode::MultiClass),
    )
    .unwrap();
    let ev = &trained.evaluation;
    assert_eq!(
        (ev.number_of_trained_documents, ev.number_of_test_documents),
        (270, 30)
    );
    let ConfusionMatrix::MultiClass {
        confusion_matrix,
        labels,
        ..
    } = &ev.confusion_matrix
    else {
        panic!()
    };
    assert_eq!(labels.len(), 10);
    for row in confusion_matrix {
        assert_eq!(row.iter().sum::<u64>(), 3, "3 test documents per label");
    }
    let mut capped = TrainParams::new(Mode::MultiClass);
    capped.max_test_documents = 20;
    assert_eq!(
        quick(fixture("wordnet10_300.csv"), None, &capped)
            .unwrap()
            .evaluation
            .number_of_test_documents,
        20
    );
}

#[test]
fn training_is_deterministic_for_a_seed() {
    let params = TrainParams::new(Mode::MultiClass);
    let a = quick(fixture("wordnet10_300.csv"), None, &params).unwrap();
    let b = quick(fixture("wordnet10_300.csv"), None, &params).unwrap();
    assert_eq!(a.model.to_bytes(), b.model.to_bytes());
    assert_eq!(a.evaluation, b.evaluation);
    let other = TrainParams { seed: 99, ..params };
    let c = quick(fixture("wordnet10_300.csv"), None, &other).unwrap();
    assert_ne!(
        a.model.to_bytes(),
        c.model.to_bytes(),
        "another seed holds out other documents"
    );
}

#[test]
fn the_model_does_not_depend_on_the_thread_count() {
    let params = TrainParams::new(Mode::MultiClass);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let three = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    let a = one.install(|| quick(fixture("wordnet10_300.csv"), None, &params).unwrap());
    let b = three.install(|| quick(fixture("wordnet10_300.csv"), None, &params).unwrap());
    assert_eq!(a.model.to_bytes(), b.model.to_bytes());
}

#[test]
fn test_labels_unknown_to_the_model_are_reported_not_fatal() {
    let mut test = fixture("wordnet10_test_100.csv");
    test.push(Document::new(
        "NEVER_SEEN",
        "a completely new kind of thing",
    ));
    test.push(Document::new("ALSO_NEW", "another one"));
    let trained = quick(
        fixture("wordnet10_300.csv"),
        Some(test),
        &TrainParams::new(Mode::MultiClass),
    )
    .unwrap();
    let ev = &trained.evaluation;
    assert_eq!(ev.labels_missing_from_training, ["ALSO_NEW", "NEVER_SEEN"]);
    assert_eq!(ev.number_of_test_documents, 102);
    let ConfusionMatrix::MultiClass {
        labels,
        all_labels,
        confusion_matrix,
    } = &ev.confusion_matrix
    else {
        panic!()
    };
    assert!(labels.contains(&"NEVER_SEEN".to_string()) && all_labels.len() == 12);
    let row = &confusion_matrix[labels.iter().position(|l| l == "NEVER_SEEN").unwrap()];
    assert_eq!(row.iter().sum::<u64>(), 1);
    assert_eq!(
        row[labels.iter().position(|l| l == "NEVER_SEEN").unwrap()],
        0,
        "never predicted"
    );
    // The same through Model::evaluate, as flywheel iterations call it.
    let again = trained.model.evaluate(&[Document::new("NEVER_SEEN", "x")]);
    assert_eq!(again.metrics.accuracy, 0.0);
}

#[test]
fn progress_reports_phases_and_iterations() {
    let mut seen: Vec<Progress> = Vec::new();
    train(
        fixture("wordnet10_300.csv"),
        None,
        &TrainParams::new(Mode::MultiClass),
        &mut |p| seen.push(p),
        &AtomicBool::new(false),
    )
    .unwrap();
    let phases: Vec<Phase> = seen
        .iter()
        .filter(|p| p.iteration == 0)
        .map(|p| p.phase)
        .collect();
    assert_eq!(
        phases,
        [
            Phase::Validating,
            Phase::Splitting,
            Phase::Vocabulary,
            Phase::Matrix,
            Phase::Fitting,
            Phase::Evaluating
        ]
    );
    let iterations: Vec<&Progress> = seen
        .iter()
        .filter(|p| p.phase == Phase::Fitting && p.iteration > 0)
        .collect();
    assert!(iterations.len() > 3);
    assert!(
        iterations
            .windows(2)
            .all(|w| w[1].iteration == w[0].iteration + 1)
    );
    assert!(
        iterations
            .iter()
            .all(|p| p.max_iter == 100 && p.loss.is_some())
    );
    assert!(iterations.last().unwrap().loss < iterations[0].loss);
}

#[test]
fn cancellation_stops_training() {
    let cancel = AtomicBool::new(true);
    let err = train(
        fixture("wordnet10_300.csv"),
        None,
        &TrainParams::new(Mode::MultiClass),
        &mut |_| {},
        &cancel,
    )
    .unwrap_err();
    assert!(matches!(err, MlError::Cancelled));
    // Set while the optimizer runs.
    let cancel = AtomicBool::new(false);
    let mut last = 0;
    let err = train(
        fixture("wordnet10_300.csv"),
        None,
        &TrainParams::new(Mode::MultiClass),
        &mut |p| {
            if p.phase == Phase::Fitting && p.iteration == 3 {
                cancel.store(true, Ordering::Relaxed);
            }
            last = p.iteration;
        },
        &cancel,
    )
    .unwrap_err();
    assert!(matches!(err, MlError::Cancelled));
    assert!(last <= 4, "stopped at iteration {last}");
}

#[test]
fn multi_label_training_predicts_label_sets() {
    let docs = multi_label_docs(240);
    let trained = quick(docs, None, &TrainParams::new(Mode::MultiLabel)).unwrap();
    let model = &trained.model;
    assert_eq!(model.mode(), Mode::MultiLabel);
    assert_eq!(model.labels(), ["FRUIT", "MUSIC", "SPORT"]);
    let m = trained.evaluation.metrics;
    assert!(m.f1_score > 0.9 && m.hamming_loss < 0.1, "{m:?}");
    let ConfusionMatrix::MultiLabel {
        confusion_matrix,
        labels,
        ..
    } = &trained.evaluation.confusion_matrix
    else {
        panic!()
    };
    assert_eq!(labels.len(), 3);
    let n = trained.evaluation.number_of_test_documents as u64;
    assert!(
        confusion_matrix
            .iter()
            .all(|m| m[0][0] + m[0][1] + m[1][0] + m[1][1] == n)
    );
    // Sigmoid scores: independent, sorted descending, the two topics of the text on top.
    let ranked = model.predict("apple cherry and a goal by the striker");
    let top: Vec<&str> = ranked[..2].iter().map(|(l, _)| l.as_str()).collect();
    assert!(
        top.contains(&"FRUIT") && top.contains(&"SPORT"),
        "{ranked:?}"
    );
    assert!(ranked.windows(2).all(|w| w[0].1 >= w[1].1));
    let scores = model.scores("apple cherry and a goal by the striker");
    assert_eq!(model.decide(&scores).len(), 2);
    // Nothing recognisable: no label passes 0.5, the best one is still returned.
    let none = model.scores("zzz qqq");
    assert_eq!(model.decide(&none).len(), 1);
}

#[test]
fn predictions_are_ranked_and_batch_equals_single() {
    let trained = quick(
        fixture("wordnet10_300.csv"),
        None,
        &TrainParams::new(Mode::MultiClass),
    )
    .unwrap();
    let model = &trained.model;
    let texts = [
        "a domestic animal kept as a pet",
        "a building where people live",
        "",
        "the act of running fast",
    ];
    let batch = model.predict_batch(&texts);
    for (text, from_batch) in texts.iter().zip(&batch) {
        let single = model.predict(text);
        assert_eq!(&single, from_batch);
        assert_eq!(single.len(), 10);
        assert!(single.windows(2).all(|w| w[0].1 >= w[1].1));
        let total: f64 = single.iter().map(|(_, s)| s).sum();
        assert!((total - 1.0).abs() < 1e-9, "softmax sums to 1");
    }
}

#[test]
fn model_file_round_trip_and_damage() {
    let trained = quick(
        fixture("wordnet10_300.csv"),
        None,
        &TrainParams::new(Mode::MultiClass),
    )
    .unwrap();
    let bytes = trained.model.to_bytes();
    let loaded = Model::from_bytes(&bytes).unwrap();
    assert_eq!(loaded.to_bytes(), bytes);
    assert_eq!(loaded.labels(), trained.model.labels());
    assert_eq!(loaded.mode(), Mode::MultiClass);
    assert_eq!(loaded.number_of_trained_documents(), 270);
    for text in ["a small bird", "a tool for cutting", ""] {
        assert_eq!(loaded.predict(text), trained.model.predict(text));
    }
    assert_eq!(
        loaded.evaluate(&fixture("wordnet10_test_100.csv")),
        trained.model.evaluate(&fixture("wordnet10_test_100.csv"))
    );

    let corrupt = |e: MlError| matches!(e, MlError::CorruptModel(_));
    assert!(corrupt(Model::from_bytes(&[]).unwrap_err()));
    assert!(corrupt(
        Model::from_bytes(b"not a model at all").unwrap_err()
    ));
    assert!(
        corrupt(Model::from_bytes(&bytes[..bytes.len() / 2]).unwrap_err()),
        "truncated"
    );
    let mut flipped = bytes.clone();
    let at = bytes.len() - 100;
    flipped[at] ^= 0x40;
    assert!(
        corrupt(Model::from_bytes(&flipped).unwrap_err()),
        "damaged weights"
    );
    let mut future = bytes.clone();
    future[8..12].copy_from_slice(&2u32.to_le_bytes());
    assert!(matches!(
        Model::from_bytes(&future).unwrap_err(),
        MlError::UnsupportedModelVersion {
            found: 2,
            supported: 1
        }
    ));
    // Every truncation is an error, never a panic.
    for len in (0..bytes.len()).step_by(97) {
        assert!(Model::from_bytes(&bytes[..len]).is_err());
    }
}

#[test]
fn multi_label_model_round_trip() {
    let trained = quick(
        multi_label_docs(120),
        None,
        &TrainParams::new(Mode::MultiLabel),
    )
    .unwrap();
    let loaded = Model::from_bytes(&trained.model.to_bytes()).unwrap();
    assert_eq!(loaded.mode(), Mode::MultiLabel);
    assert_eq!(
        loaded.predict("melody and guitar"),
        trained.model.predict("melody and guitar")
    );
}

#[test]
fn validation_errors_surface_from_train() {
    let mut docs = fixture("wordnet10_300.csv");
    docs.truncate(95); // 9 or 10 per label
    let err = quick(docs, None, &TrainParams::new(Mode::MultiClass)).unwrap_err();
    assert!(
        matches!(err, MlError::TooFewDocumentsForLabel { .. }),
        "{err}"
    );
}

#[test]
fn holdout_split_is_the_split_train_makes() {
    let params = TrainParams::new(Mode::MultiClass);
    let (tr, te) = comprehend_ml::holdout_split(fixture("wordnet10_300.csv"), &params);
    assert_eq!((tr.len(), te.len()), (270, 30));
    let trained = quick(fixture("wordnet10_300.csv"), None, &params).unwrap();
    assert_eq!(trained.model.evaluate(&te), trained.evaluation);
}
