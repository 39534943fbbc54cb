//! The metric code against figures computed by scikit-learn 1.9.1 (numpy 2.4.6) on the same
//! predictions. The numbers below were printed by this snippet:
//!
//! ```python
//! from sklearn.metrics import (accuracy_score, precision_recall_fscore_support, hamming_loss,
//!                              confusion_matrix, multilabel_confusion_matrix)
//! from sklearn.preprocessing import MultiLabelBinarizer
//! yt = "A A A A A B B B B C C C C C C E E A B C".split()
//! yp = "A A A B D B B C B C C A C C D E A C B B".split()
//! labels = sorted(set(yt) | set(yp))
//! p, r, f, _ = precision_recall_fscore_support(yt, yp, average="macro", zero_division=0)
//! mp, mr, mf, _ = precision_recall_fscore_support(yt, yp, average="micro", zero_division=0)
//! print("MC", repr(accuracy_score(yt, yp)), repr(p), repr(r), repr(f), repr(mp), repr(mr), repr(mf),
//!       repr(hamming_loss(yt, yp)))
//! print("MC cm", labels, confusion_matrix(yt, yp, labels=labels).tolist())
//! Yt = [{"x"}, {"x","y"}, {"y"}, {"z"}, {"x","z"}, {"y","z"}, {"x"}, {"w"}, {"x","y","z"}, {"y"}, {"z"}, {"x"}]
//! Yp = [{"x"}, {"x"}, {"y","z"}, {"z"}, {"x","z"}, {"y"}, {"y"}, {"x"}, {"x","y"}, {"y"}, {"z","x"}, {"x"}]
//! mlb = MultiLabelBinarizer(classes=sorted(set().union(*Yt, *Yp)))
//! mlb.fit(Yt + Yp)
//! T, P = mlb.transform(Yt), mlb.transform(Yp)
//! p, r, f, _ = precision_recall_fscore_support(T, P, average="macro", zero_division=0)
//! mp, mr, mf, _ = precision_recall_fscore_support(T, P, average="micro", zero_division=0)
//! print("ML", repr(accuracy_score(T, P)), repr(p), repr(r), repr(f), repr(mp), repr(mr), repr(mf),
//!       repr(hamming_loss(T, P)))
//! print("ML cm", list(mlb.classes_), multilabel_confusion_matrix(T, P).tolist())
//! ```
//! Output:
//! ```text
//! MC 0.6 0.5866666666666667 0.4742857142857143 0.510955710955711 0.6 0.6 0.6 0.4
//! MC cm ['A', 'B', 'C', 'D', 'E'] [[3, 1, 1, 1, 0], [0, 4, 1, 0, 0], [1, 1, 4, 1, 0], [0, 0, 0, 0, 0], [1, 0, 0, 0, 1]]
//! ML 0.4166666666666667 0.5660714285714286 0.5583333333333333 0.558974358974359 0.75 0.7058823529411765 0.7272727272727273 0.1875
//! ML cm ['w', 'x', 'y', 'z'] [[[11, 0], [1, 0]], [[4, 2], [1, 5]], [[6, 1], [1, 4]], [[6, 1], [2, 3]]]
//! ```

use comprehend_ml::metrics::evaluate_predictions;
use comprehend_ml::{ConfusionMatrix, Metrics, Mode};

fn indexes(names: &[&str], sets: &[&str]) -> Vec<Vec<u32>> {
    sets.iter()
        .map(|s| {
            s.split(',')
                .filter(|l| !l.is_empty())
                .map(|l| names.iter().position(|n| *n == l).expect("known label") as u32)
                .collect()
        })
        .collect()
}

fn assert_close(actual: &Metrics, expected: [f64; 8]) {
    let got = [
        actual.accuracy,
        actual.precision,
        actual.recall,
        actual.f1_score,
        actual.micro_precision,
        actual.micro_recall,
        actual.micro_f1_score,
        actual.hamming_loss,
    ];
    for (name, (g, e)) in [
        "Accuracy",
        "Precision",
        "Recall",
        "F1Score",
        "MicroPrecision",
        "MicroRecall",
        "MicroF1Score",
        "HammingLoss",
    ]
    .iter()
    .zip(got.iter().zip(expected))
    {
        assert!((g - e).abs() < 1e-12, "{name}: {g} != {e}");
    }
}

#[test]
fn multi_class_metrics_match_scikit_learn() {
    // Names deliberately not sorted, and with a label (Z) that occurs in neither list: it must
    // not take part in the averages.
    let names: Vec<String> = ["C", "Z", "E", "A", "D", "B"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let n: Vec<&str> = names.iter().map(String::as_str).collect();
    let yt = indexes(
        &n,
        &"A A A A A B B B B C C C C C C E E A B C"
            .split(' ')
            .collect::<Vec<_>>(),
    );
    let yp = indexes(
        &n,
        &"A A A B D B B C B C C A C C D E A C B B"
            .split(' ')
            .collect::<Vec<_>>(),
    );
    let (m, cm) = evaluate_predictions(Mode::MultiClass, &names, &yt, &yp);
    assert_close(
        &m,
        [
            0.6,
            0.5866666666666667,
            0.4742857142857143,
            0.510955710955711,
            0.6,
            0.6,
            0.6,
            0.4,
        ],
    );
    // Comprehend's metric identities for multi-class (Developer Guide, "Custom classifier
    // metrics": accuracy equals micro precision, recall and F1; Hamming loss is 1 − accuracy).
    assert_eq!(m.accuracy, m.micro_f1_score);
    assert_eq!(m.micro_precision, m.micro_recall);
    assert!((m.hamming_loss - (1.0 - m.accuracy)).abs() < 1e-15);
    assert_eq!(
        cm,
        ConfusionMatrix::MultiClass {
            confusion_matrix: vec![
                vec![3, 1, 1, 1, 0],
                vec![0, 4, 1, 0, 0],
                vec![1, 1, 4, 1, 0],
                vec![0, 0, 0, 0, 0],
                vec![1, 0, 0, 0, 1],
            ],
            labels: ["A", "B", "C", "D", "E"].map(String::from).to_vec(),
            all_labels: ["A", "B", "C", "D", "E", "Z"].map(String::from).to_vec(),
        }
    );
}

#[test]
fn multi_label_metrics_match_scikit_learn() {
    let names: Vec<String> = ["z", "y", "x", "w"].iter().map(|s| s.to_string()).collect();
    let n: Vec<&str> = names.iter().map(String::as_str).collect();
    let yt = indexes(
        &n,
        &[
            "x", "x,y", "y", "z", "x,z", "y,z", "x", "w", "x,y,z", "y", "z", "x",
        ],
    );
    let yp = indexes(
        &n,
        &[
            "x", "x", "y,z", "z", "x,z", "y", "y", "x", "x,y", "y", "z,x", "x",
        ],
    );
    let (m, cm) = evaluate_predictions(Mode::MultiLabel, &names, &yt, &yp);
    assert_close(
        &m,
        [
            0.4166666666666667,
            0.5660714285714286,
            0.5583333333333333,
            0.558974358974359,
            0.75,
            0.7058823529411765,
            0.7272727272727273,
            0.1875,
        ],
    );
    assert_eq!(
        cm,
        ConfusionMatrix::MultiLabel {
            confusion_matrix: vec![
                [[11, 0], [1, 0]],
                [[4, 2], [1, 5]],
                [[6, 1], [1, 4]],
                [[6, 1], [2, 3]]
            ],
            labels: ["w", "x", "y", "z"].map(String::from).to_vec(),
            all_labels: ["w", "x", "y", "z"].map(String::from).to_vec(),
        }
    );
}

#[test]
fn confusion_matrix_json_is_facts_shape() {
    let names = vec!["B".to_string(), "A".to_string()];
    let (_, cm) = evaluate_predictions(
        Mode::MultiClass,
        &names,
        &[vec![0], vec![1]],
        &[vec![0], vec![0]],
    );
    assert_eq!(
        cm.to_json(),
        r#"{"type":"multi_class","confusion_matrix":[[0,1],[0,1]],"labels":["A","B"],"all_labels":["A","B"]}"#
    );
    let (_, cm) = evaluate_predictions(Mode::MultiLabel, &names, &[vec![0, 1]], &[vec![0]]);
    assert_eq!(
        cm.to_json(),
        r#"{"type":"multi_label","confusion_matrix":[[[0,0],[1,0]],[[0,0],[0,1]]],"labels":["A","B"],"all_labels":["A","B"]}"#
    );
}

#[test]
fn metrics_serialise_with_aws_names_and_empty_input_is_zero() {
    let (m, _) = evaluate_predictions(Mode::MultiLabel, &[], &[], &[]);
    assert_eq!(m, Metrics::default());
    let json = serde_json::to_value(m).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "Accuracy",
            "F1Score",
            "HammingLoss",
            "MicroF1Score",
            "MicroPrecision",
            "MicroRecall",
            "Precision",
            "Recall"
        ]
    );
}
