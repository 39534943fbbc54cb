"""Reference for the toxicity benchmark: alt-profanity-check (MIT) on the same labelled set.

Same metrics as examples/toxicity_quality.rs for the overall score: ROC-AUC, accuracy at 0.5,
time per document (one predict_prob call per document, as a service answers one request, and
one batched call over the whole set). alt-profanity-check has no labels, so no per-label figures.

Run: /work/bench-venv/bin/python crates/builtin/benches/toxicity_reference.py
"""
import pathlib
import time

from profanity_check import predict_prob

DATA = pathlib.Path(__file__).resolve().parent / "data" / "toxicity"


def load(path):
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        toxic, _labels, text = line.split("\t", 2)
        rows.append((toxic == "1", text))
    return rows


def roc_auc(scores, truths):
    """Probability that a toxic text outscores a clean one (ties count one half)."""
    pos = [s for s, t in zip(scores, truths) if t]
    neg = [s for s, t in zip(scores, truths) if not t]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main():
    for name in ["eval", "holdout"]:
        print(f"== {name}")
        run(load(DATA / f"{name}.tsv"))


def run(rows):
    texts = [t for _, t in rows]
    truths = [y for y, _ in rows]
    predict_prob(texts[:2])  # warm-up
    start = time.perf_counter()
    scores = [float(predict_prob([t])[0]) for t in texts]
    single = (time.perf_counter() - start) / len(texts)
    start = time.perf_counter()
    for _ in range(20):
        batch = predict_prob(texts)
    batched = (time.perf_counter() - start) / (20 * len(texts))
    assert all(abs(a - b) < 1e-9 for a, b in zip(scores, batch))
    acc = sum((s >= 0.5) == y for s, y in zip(scores, truths)) / len(rows)
    print(f"documents: {len(rows)} ({sum(truths)} toxic)")
    print(f"alt-profanity-check overall: ROC-AUC {roc_auc(scores, truths):.3f}, accuracy@0.5 {acc:.3f}")
    print(f"time per document: {single * 1e6:.1f} us (one call each), {batched * 1e6:.1f} us (batched)")


if __name__ == "__main__":
    main()
