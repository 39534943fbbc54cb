//! The sparse logistic regression against linfa-logistic on the same small dense problem: with
//! the same objective (linfa's `alpha` = 1/C) both must find the same probabilities.

use comprehend_ml::logistic::LogisticParams;
use comprehend_ml::sparse::{FeatureMatrix, SparseRecords};
use linfa::prelude::*;
use linfa_logistic::{LogisticRegression, MultiLogisticRegression};
use ndarray::{Array1, Array2};

/// 90 samples, 4 features, 3 overlapping classes; values from a fixed formula (no RNG).
fn problem() -> (Array2<f64>, Array1<usize>) {
    let n = 90;
    let mut x = Array2::zeros((n, 4));
    let mut y = Array1::zeros(n);
    for i in 0..n {
        let class = i % 3;
        let t = i as f64;
        x[[i, 0]] = (t * 0.77).sin() + if class == 0 { 0.8 } else { 0.0 };
        x[[i, 1]] = (t * 1.31).cos() + if class == 1 { 0.8 } else { 0.0 };
        x[[i, 2]] = (t * 0.53).sin() * 0.5 + if class == 2 { 0.6 } else { 0.0 };
        // A zero now and then, so the sparse matrix really is sparse.
        x[[i, 3]] = if i % 4 == 0 { 0.0 } else { (t * 2.1).cos() };
        y[i] = class;
    }
    (x, y)
}

fn sparse(x: &Array2<f64>) -> SparseRecords {
    let mut indptr = vec![0usize];
    let (mut indices, mut data) = (Vec::new(), Vec::new());
    for row in x.rows() {
        for (j, &v) in row.iter().enumerate() {
            if v != 0.0 {
                indices.push(j as u32);
                data.push(v as f32);
            }
        }
        indptr.push(indices.len());
    }
    SparseRecords(FeatureMatrix::new(
        (x.nrows(), x.ncols()),
        indptr,
        indices,
        data,
    ))
}

fn params(c: f64) -> LogisticParams {
    LogisticParams {
        c,
        max_iter: 500,
        tolerance: 1e-7,
        ..LogisticParams::default()
    }
}

#[test]
fn softmax_agrees_with_linfa_multi_logistic_regression() {
    let (x, y) = problem();
    for c in [1.0, 0.1] {
        let reference = MultiLogisticRegression::default()
            .alpha(1.0 / c)
            .max_iterations(1000)
            .gradient_tolerance(1e-10)
            .fit(&Dataset::new(x.clone(), y.clone()))
            .unwrap();
        assert_eq!(reference.classes(), [0, 1, 2]);
        let expected = reference.predict_probabilities(&x);

        let ours = params(c)
            .fit(&DatasetBase::new(sparse(&x), y.clone()))
            .unwrap();
        let got: Array2<f64> = ours.predict(&DatasetBase::new(sparse(&x), ()));
        let worst = (&got - &expected)
            .mapv(f64::abs)
            .fold(0.0f64, |a, &b| a.max(b));
        assert!(worst < 2e-3, "C={c}: probabilities differ by up to {worst}");
        let classes: Array1<usize> = ours.predict(&DatasetBase::new(sparse(&x), ()));
        let agree = classes.iter().zip(expected.rows()).filter(|(c, p)| {
            let best = p
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .unwrap()
                .0;
            **c == best
        });
        assert_eq!(agree.count(), x.nrows());
    }
}

#[test]
fn one_vs_rest_agrees_with_linfa_binary_logistic_regression() {
    let (x, y) = problem();
    // Two labels: "class 0" and "class 0 or 2" — overlapping, as multi-label data is.
    let mut indicator = Array2::from_elem((x.nrows(), 2), false);
    for (i, &c) in y.iter().enumerate() {
        indicator[[i, 0]] = c == 0;
        indicator[[i, 1]] = c != 1;
    }
    let ours = params(1.0)
        .fit(&DatasetBase::new(sparse(&x), indicator.clone()))
        .unwrap();
    let got: Array2<f64> = ours.predict(&DatasetBase::new(sparse(&x), ()));
    for label in 0..2 {
        let targets: Array1<usize> = indicator.column(label).mapv(usize::from);
        let reference = LogisticRegression::default()
            .alpha(1.0)
            .max_iterations(1000)
            .gradient_tolerance(1e-10)
            .fit(&Dataset::new(x.clone(), targets))
            .unwrap();
        // linfa reports the probability of its "positive" class, the first one it met.
        let p_pos = reference.predict_probabilities(&x);
        let expected = if reference.labels().pos.class == 1 {
            p_pos
        } else {
            1.0 - p_pos
        };
        let worst = (&got.column(label) - &expected)
            .mapv(f64::abs)
            .fold(0.0f64, |a, &b| a.max(b));
        assert!(
            worst < 2e-3,
            "label {label}: probabilities differ by up to {worst}"
        );
    }
}
