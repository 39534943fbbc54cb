"""Fits the mapping of VADER's polarity to Comprehend's four classes (src/sentiment/calibrate.rs).

The model is a softmax over four logits of a fixed shape, so each class keeps its meaning:
  POSITIVE:  a * compound
  NEGATIVE: -a * compound
  NEUTRAL:   b - g * (positive + negative)              (little sentiment evidence)
  MIXED:     d + m * min(P, N) + k * min(Pc, Nc) - n * |compound|
             (two-sided evidence. P, N: summed positive and negative word valences before "but"
             reweighs them; Pc, Nc: the same summed per clause, each clause's net valence going
             to the side it leans to, clauses ending at , ; . ! ? and before a contrast word
             such as "but", "although", "while" -- so "wonderful but terrible" counts on both
             sides while "not bad, really good" does not. n comes out negative: MIXED must keep
             pace with the winning side's a * |compound|, against which it still loses a + n.)
The seven parameters are fitted by maximum likelihood (class-weighted) on the polarity, as this
crate computes it, of benches/data/sentiment/en_train.tsv: UCI review sentences that are not in
the evaluation set, template-generated neutral sentences, and MIXED texts made of a positive
and a negative training sentence, joined one after the other or as two clauses of one sentence
around a connective (see sentiment_data.py).

  cargo run --release -p comprehend-builtin --example sentiment_quality -- \
      --features crates/builtin/benches/data/sentiment/en_train.tsv > /tmp/features.tsv
  /work/bench-venv/bin/python crates/builtin/benches/sentiment_fit.py /tmp/features.tsv

Output: the PARAMETERS line to paste into calibrate.rs.
"""

import csv
import sys

import numpy as np
from scipy.optimize import minimize

CLASSES = ["POSITIVE", "NEGATIVE", "NEUTRAL", "MIXED"]
# MIXED is rarer in real text than in the training set (1,600 made examples): its examples weigh
# a quarter (together as much as 400 single-polarity sentences), so a document needs clearly
# two-sided evidence to be called MIXED.
CLASS_WEIGHT = np.array([1.0, 1.0, 1.0, 0.25])


def logits(theta, pos, neg, c, pm, nm, pc, nc):
    a, b, g, d, m, n, k = theta
    mixed = d + m * np.minimum(pm, nm) + k * np.minimum(pc, nc) - n * np.abs(c)
    return np.stack([a * c, -a * c, b - g * (pos + neg), mixed], axis=1)


def usable(row):
    pos, neg = float(row["positive"]), float(row["negative"])
    # A review sentence in which the lexicon finds nothing says nothing about the mapping (its
    # label comes from words VADER does not know); left in, it would teach the model that
    # evidence-free text is POSITIVE or NEGATIVE, where the service answers NEUTRAL. Likewise
    # a joined pair in which the lexicon misses one side is no example of MIXED.
    if row["label"] in ("POSITIVE", "NEGATIVE"):
        return pos + neg > 0
    if row["label"] == "MIXED":
        return min(pos, neg) > 0
    return True


def main():
    with open(sys.argv[1], newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if usable(r)]
    keys = ("positive", "negative", "compound", "positive_mass", "negative_mass",
            "positive_clauses", "negative_clauses")
    x = [np.array([float(r[k]) for r in rows]) for k in keys]
    y = np.array([CLASSES.index(r["label"]) for r in rows])
    w = CLASS_WEIGHT[y]

    def loss(theta):
        z = logits(theta, *x)
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return -(w * logp[np.arange(len(y)), y]).sum() / w.sum() + 1e-3 * (theta ** 2).sum()

    fit = minimize(loss, np.array([3.0, 1.0, 5.0, -2.0, 1.0, 2.0, 1.0]), method="L-BFGS-B")
    predicted = logits(fit.x, *x).argmax(axis=1)
    print(f"training accuracy {(predicted == y).mean():.3f} on {len(rows)} rows, loss {fit.fun:.4f}")
    print("const PARAMETERS: [f64; 7] = [" + ", ".join(f"{v:.4}" for v in fit.x) + "];")


if __name__ == "__main__":
    main()
