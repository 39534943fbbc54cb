//! TF-IDF against scikit-learn, and one document transformed alone equal to its batch row.

use comprehend_ml::tfidf::TfidfVectorizer;

/// Expected values from scikit-learn 1.9.1:
/// ```python
/// from sklearn.feature_extraction.text import TfidfVectorizer
/// docs = ["The cat sat on the mat.", "The dog sat on the log!", "Cats and dogs; the cat, the dog.", "A bird on a wire"]
/// v = TfidfVectorizer(sublinear_tf=True, min_df=2)
/// X = v.fit_transform(docs)
/// print(v.get_feature_names_out().tolist(), v.idf_.tolist(), X[2].toarray()[0].tolist())
/// ```
/// vocabulary `['cat', 'dog', 'on', 'sat', 'the']`, idf `[1.5108256237659907, 1.5108256237659907,
/// 1.2231435513142097, 1.5108256237659907, 1.2231435513142097]`, row 2: cat 0.5077416828605131,
/// dog 0.5077416828605131, the 0.695986183032356.
#[test]
fn matches_scikit_learn() {
    let docs = [
        "The cat sat on the mat.",
        "The dog sat on the log!",
        "Cats and dogs; the cat, the dog.",
        "A bird on a wire",
    ];
    let (v, x) = TfidfVectorizer::fit_transform(&docs, 2).unwrap();
    let mut terms = v.terms();
    terms.sort_unstable();
    assert_eq!(terms, ["cat", "dog", "on", "sat", "the"]);
    let idf = |t: &str| v.idf()[v.column(t).unwrap() as usize] as f64;
    for (t, e) in [
        ("cat", 1.5108256237659907),
        ("on", 1.2231435513142097),
        ("the", 1.2231435513142097),
    ] {
        assert!((idf(t) - e).abs() < 1e-6, "{t}");
    }
    let (idx, val) = x.row(2);
    assert_eq!(idx.len(), 3);
    for (t, e) in [
        ("cat", 0.5077416828605131),
        ("dog", 0.5077416828605131),
        ("the", 0.695986183032356),
    ] {
        let col = v.column(t).unwrap();
        let at = idx.iter().position(|&c| c == col).unwrap();
        assert!((val[at] as f64 - e).abs() < 1e-6, "{t}: {}", val[at]);
    }
    // Columns ordered by document frequency, then alphabetically.
    assert_eq!(v.terms(), ["on", "the", "cat", "dog", "sat"]);
}

#[test]
fn one_document_alone_equals_its_row_in_a_batch() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/wordnet10_300.csv"
    ))
    .unwrap();
    let docs: Vec<&str> = text.lines().map(|l| l.split_once(',').unwrap().1).collect();
    let (v, x) = TfidfVectorizer::fit_transform(&docs, 2).unwrap();
    let again = v.transform(&docs);
    assert_eq!(
        x.matrix(),
        again.matrix(),
        "transform after fit gives the fit's matrix"
    );
    for (i, doc) in docs.iter().enumerate() {
        let (idx, val) = v.transform_one(doc);
        let (bi, bv) = x.row(i);
        assert_eq!((idx.as_slice(), val.as_slice()), (bi, bv), "document {i}");
        let norm: f32 = val.iter().map(|v| v * v).sum();
        assert!(val.is_empty() || (norm - 1.0).abs() < 1e-5);
    }
}

#[test]
fn min_df_that_removes_everything_is_an_error() {
    let err = TfidfVectorizer::fit_transform(&["one two", "three four"], 2).unwrap_err();
    assert!(
        err.to_string().contains("no word occurs in at least 2"),
        "{err}"
    );
}
