//! Training-set validation against Comprehend's limits.

use comprehend_ml::{Document, MlError, Mode, TrainingLimits, validate_training_set};

fn docs(spec: &[(&str, usize)]) -> Vec<Document> {
    spec.iter()
        .flat_map(|&(label, n)| (0..n).map(move |i| Document::new(label, format!("text {i}"))))
        .collect()
}

fn multi(labels: &[&str], n: usize) -> Vec<Document> {
    (0..n)
        .map(|i| Document {
            text: format!("text {i}"),
            labels: labels.iter().map(|l| l.to_string()).collect(),
        })
        .collect()
}

#[test]
fn a_valid_set_reports_label_counts() {
    let stats = validate_training_set(
        &docs(&[("B", 12), ("A", 10)]),
        Mode::MultiClass,
        &TrainingLimits::default(),
    )
    .unwrap();
    assert_eq!(stats.labels, [("A".to_string(), 10), ("B".to_string(), 12)]);
    assert_eq!(stats.documents, 22);
}

#[test]
fn too_few_documents_for_a_label_lists_them() {
    let err = validate_training_set(
        &docs(&[("A", 10), ("B", 9), ("C", 3)]),
        Mode::MultiClass,
        &TrainingLimits::default(),
    )
    .unwrap_err();
    match &err {
        MlError::TooFewDocumentsForLabel { labels, min } => {
            assert_eq!(*min, 10);
            assert_eq!(labels, &[("B".to_string(), 9), ("C".to_string(), 3)]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "each label needs at least 10 training documents: \"B\" has 9, \"C\" has 3"
    );
}

#[test]
fn the_minimum_per_label_is_a_setting() {
    let limits = TrainingLimits {
        min_docs_per_label: 50,
        ..TrainingLimits::default()
    };
    assert!(matches!(
        validate_training_set(&docs(&[("A", 60), ("B", 49)]), Mode::MultiClass, &limits),
        Err(MlError::TooFewDocumentsForLabel { min: 50, .. })
    ));
}

#[test]
fn multi_label_needs_fifty_documents_in_total() {
    let limits = TrainingLimits::default();
    let err =
        validate_training_set(&multi(&["A", "B"], 49), Mode::MultiLabel, &limits).unwrap_err();
    assert!(
        matches!(
            err,
            MlError::TooFewDocuments {
                count: 49,
                min: 50,
                mode: Mode::MultiLabel
            }
        ),
        "{err:?}"
    );
    assert!(validate_training_set(&multi(&["A", "B"], 50), Mode::MultiLabel, &limits).is_ok());
}

#[test]
fn label_count_limits_depend_on_the_mode() {
    let limits = TrainingLimits {
        min_docs_per_label: 1,
        ..TrainingLimits::default()
    };
    let names: Vec<String> = (0..1001).map(|i| format!("L{i}")).collect();
    let many: Vec<Document> = names
        .iter()
        .map(|l| Document::new(l.as_str(), "t"))
        .collect();
    assert!(matches!(
        validate_training_set(&many, Mode::MultiClass, &limits),
        Err(MlError::TooManyLabels {
            count: 1001,
            max: 1000,
            ..
        })
    ));
    assert!(validate_training_set(&many[..1000], Mode::MultiClass, &limits).is_ok());
    assert!(matches!(
        validate_training_set(&many[..101], Mode::MultiLabel, &limits),
        Err(MlError::TooManyLabels {
            count: 101,
            max: 100,
            ..
        })
    ));
}

#[test]
fn label_names_too_long() {
    let long = "x".repeat(5001);
    let err = validate_training_set(
        &docs(&[(&long, 10), ("B", 10)]),
        Mode::MultiClass,
        &TrainingLimits::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            MlError::LabelTooLong {
                chars: 5001,
                max: 5000,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("5001 characters"));
    // Characters, not bytes.
    let accented = "é".repeat(5000);
    assert!(
        validate_training_set(
            &docs(&[(&accented, 10), ("B", 10)]),
            Mode::MultiClass,
            &TrainingLimits::default()
        )
        .is_ok()
    );
}

#[test]
fn degenerate_sets() {
    let limits = TrainingLimits::default();
    assert!(matches!(
        validate_training_set(&[], Mode::MultiClass, &limits),
        Err(MlError::NoDocuments)
    ));
    assert!(matches!(
        validate_training_set(&docs(&[("A", 20)]), Mode::MultiClass, &limits),
        Err(MlError::TooFewLabels { count: 1 })
    ));
    assert!(matches!(
        validate_training_set(&multi(&["A", "B"], 10), Mode::MultiClass, &limits),
        Err(MlError::LabelCount { index: 0, count: 2 })
    ));
}
