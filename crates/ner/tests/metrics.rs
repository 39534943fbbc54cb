//! The metrics on a worked example (exact begin, end and type; micro over types; 0–100).

use comprehend_ner::Span;
use comprehend_ner::metrics::{Counts, count_document, evaluation};

fn span(begin: usize, end: usize, t: &str) -> Span {
    Span {
        begin,
        end,
        entity_type: t.into(),
    }
}

#[test]
fn worked_example() {
    let types = vec!["PER".to_string(), "LOC".to_string()];
    // Gold: PER 0-5, PER 10-15, LOC 20-25.
    // Predicted: PER 0-5 (TP), LOC 10-15 (wrong type: FP for LOC, FN for PER),
    // LOC 20-24 (wrong end: FP for LOC, FN for LOC), PER 30-33 (FP).
    let gold = vec![span(0, 5, "PER"), span(10, 15, "PER"), span(20, 25, "LOC")];
    let pred = vec![
        span(0, 5, "PER"),
        span(10, 15, "LOC"),
        span(20, 24, "LOC"),
        span(30, 33, "PER"),
    ];
    let mut counts = vec![Counts::default(); 2];
    count_document(&types, &gold, &pred, &mut counts);
    assert_eq!(
        counts[0],
        Counts {
            tp: 1,
            fp: 1,
            fn_: 1
        }
    );
    assert_eq!(
        counts[1],
        Counts {
            tp: 0,
            fp: 2,
            fn_: 1
        }
    );
    let e = evaluation(&types, &counts, &[7, 3], 10, 1);
    // Micro: TP 1, FP 3, FN 2 → P = 25, R = 33.33…, F1 = 28.57…
    assert_eq!(e.overall.precision, 25.0);
    assert!((e.overall.recall - 100.0 / 3.0).abs() < 1e-9);
    assert!((e.overall.f1_score - 200.0 / 7.0).abs() < 1e-9);
    assert_eq!(e.per_type[0].scores.precision, 50.0);
    assert_eq!(e.per_type[0].number_of_train_mentions, 7);
    // No true positive and nothing to divide: zeros, not NaN.
    assert_eq!(e.per_type[1].scores.precision, 0.0);
    assert_eq!(e.per_type[1].scores.f1_score, 0.0);
    assert_eq!(Counts::default().scores().recall, 0.0);
}
