#!/usr/bin/env python3
"""Markdown table from the JSON files written by compare.sh: table.py OUT_DIR NAME [NAME ...]"""
import json
import re
import sys


def peak_mb(path):
    with open(path) as f:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
    return int(m.group(1)) / 1024 if m else float("nan")


out, names = sys.argv[1], sys.argv[2:]
print("| data | engine | docs | features | read s | vectorize s | fit s | iters | **train s** (read+vec+fit) | ratio | predict s | accuracy | macro P | macro R | **macro F1** | micro F1 | peak RSS MB |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for name in names:
    rows = {}
    for eng in ("sklearn", "rust"):
        d = json.load(open(f"{out}/{name}.{eng}.json"))
        r = d["runs"][0]
        train = d["t_read_s"] + r["t_vectorize_s"] + r["t_fit_s"]
        rows[eng] = (d, r, train, peak_mb(f"{out}/{name}.{eng}.time"))
    for eng, label in (("sklearn", "scikit-learn"), ("rust", "comprehend-ml")):
        d, r, train, peak = rows[eng]
        ratio = train / rows["sklearn"][2]
        print(f"| {name} | {label} | {d['n_train']:,} | {r['n_features']:,} | {d['t_read_s']:.2f} | {r['t_vectorize_s']:.2f} | "
              f"{r['t_fit_s']:.2f} | {r['n_iter']} | **{train:.2f}** | {ratio:.2f} | {r['t_predict_s']:.2f} | {r['accuracy']:.4f} | "
              f"{r['macro_precision']:.4f} | {r['macro_recall']:.4f} | **{r['macro_f1']:.4f}** | {r['micro_f1']:.4f} | {peak:,.0f} |")
print()
for name in names:
    d = json.load(open(f"{out}/{name}.rust.json"))
    print(f"- {name}: model {d['model_bytes']/1e6:.1f} MB, load {d['model_load_ms']:.1f} ms, "
          f"score one 1 KB document {d['predict_1kb_us']['median']:.1f} µs median ({d['predict_1kb_us']['p99']:.1f} µs p99), "
          f"gradient passes {d['runs'][0]['evaluations']} taking {d['runs'][0]['t_gradient_s']:.2f} s of the fit")
