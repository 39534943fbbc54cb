"""Regenerates data/toxicity/profanity_svm.tsv from alt-profanity-check's joblib files.

alt-profanity-check (MIT) is a TF-IDF (unigrams, sklearn's English stop words, l2 norm) + linear
SVM calibrated by CalibratedClassifierCV (5 folds, sigmoid). Each fold k gives
p_k = 1 / (1 + exp(A_k * (w_k . x + b_k) + B_k)) and predict_prob averages the p_k. We ship one
folded weight per word, w = mean_k(-A_k * w_k), and bias b = mean_k(-(A_k * b_k + B_k)), so that
p = sigmoid(w . x + b): the sigmoid of the mean logit instead of the mean of sigmoids (the folds'
A_k differ by < 3 %; the figures in benches/toxicity.md show the difference).

Run: /work/bench-venv/bin/python crates/builtin/benches/toxicity_extract.py
"""
import pathlib

import joblib
import numpy as np
from importlib import resources

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE.parent / "data" / "toxicity" / "profanity_svm.tsv"


def main():
    base = resources.files("profanity_check") / "data"
    vec = joblib.load(base / "vectorizer.joblib")
    model = joblib.load(base / "model.joblib")
    folds = model.calibrated_classifiers_
    weights = np.mean([-c.calibrators[0].a_ * c.estimator.coef_[0] for c in folds], axis=0)
    bias = np.mean(
        [-(c.calibrators[0].a_ * c.estimator.intercept_[0] + c.calibrators[0].b_) for c in folds]
    )
    rows = sorted(vec.vocabulary_.items(), key=lambda kv: kv[0])
    with OUT.open("w", encoding="utf-8") as out:
        out.write(f"#bias\t{bias:.6f}\n")
        for word, col in rows:
            out.write(f"{word}\t{vec.idf_[col]:.4f}\t{weights[col]:.4g}\n")
    print(f"{len(rows)} words, bias {bias:.6f} -> {OUT}")


if __name__ == "__main__":
    main()
