#!/usr/bin/env python3
"""Markdown table from the files compare.sh wrote: table.py OUT_DIR NAME [NAME ...]

For each engine the fastest run (read + vectorize + fit) is shown; quality figures are the
same in every run (both pipelines are deterministic)."""
import glob
import json
import re
import sys


def peak_mb(path):
    with open(path) as f:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
    return int(m.group(1)) / 1024 if m else float("nan")


def best(out, name, eng):
    runs = []
    for path in sorted(glob.glob(f"{out}/{name}.{eng}.*.json")):
        d = json.load(open(path))
        r = d["runs"][0]
        train = d["t_read_s"] + r["t_vectorize_s"] + r["t_fit_s"]
        runs.append((train, d, r, peak_mb(path[:-5] + ".time")))
    runs.sort(key=lambda x: x[0])
    return runs[0], [x[0] for x in runs]


out, names = sys.argv[1], sys.argv[2:]
print("| data | engine | train docs | features | read s | vectorize s | fit s | iterations | **train s** (read+vectorize+fit) | vs scikit-learn | accuracy | macro P | macro R | **macro F1** | micro F1 | peak RSS MB |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
notes = []
for name in names:
    sk, sk_all = best(out, name, "sklearn")
    rs, rs_all = best(out, name, "rust")
    for (train, d, r, peak), label in ((sk, "scikit-learn"), (rs, "comprehend-ml")):
        ratio = train / sk[0]
        print(f"| {name} | {label} | {d['n_train']:,} | {r['n_features']:,} | {d['t_read_s']:.2f} | {r['t_vectorize_s']:.2f} | "
              f"{r['t_fit_s']:.2f} | {r['n_iter']} | **{train:.2f}** | {ratio:.2f} | {r['accuracy']:.4f} | "
              f"{r['macro_precision']:.4f} | {r['macro_recall']:.4f} | **{r['macro_f1']:.4f}** | {r['micro_f1']:.4f} | {peak:,.0f} |")
    d = rs[1]
    notes.append(f"- {name}: train s of every run — scikit-learn {', '.join(f'{t:.2f}' for t in sk_all)}; "
                 f"comprehend-ml {', '.join(f'{t:.2f}' for t in rs_all)}. comprehend-ml model {d['model_bytes']/1e6:.1f} MB, "
                 f"load {d['model_load_ms']:.1f} ms, one 1 KB document scored in {d['predict_1kb_us']['median']:.1f} µs "
                 f"(p99 {d['predict_1kb_us']['p99']:.1f} µs); {rs[2]['evaluations']} gradient passes took "
                 f"{rs[2]['t_gradient_s']:.2f} s of the {rs[2]['t_fit_s']:.2f} s fit.")
print()
print("\n".join(notes))
