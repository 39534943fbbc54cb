#!/usr/bin/env python3
"""Markdown table from the files compare.sh wrote: table.py OUT_DIR NAME [NAME ...]

For each engine the fastest run is shown ("train s": read + vectorize + fit for scikit-learn and
comprehend-ml, read + train for fastText, CreateDocumentClassifier → TRAINED for the server,
which also reads from S3, evaluates and saves); quality figures are the same in every run (every
pipeline but fastText's is deterministic; fastText's F1 varies by about 0.001 with two
threads). Engines without files are left out."""
import glob
import json
import re
import sys

LABELS = {"sklearn": "scikit-learn", "fasttext": "fastText", "rust": "comprehend-ml", "server": "server (create → TRAINED)"}


def peak_mb(path):
    try:
        with open(path) as f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
    except FileNotFoundError:
        return float("nan")
    return int(m.group(1)) / 1024 if m else float("nan")


def row(engine, d, time_path):
    """(train s, figures) of one run."""
    if engine in ("sklearn", "rust"):
        r = d["runs"][0]
        train = d["t_read_s"] + r["t_vectorize_s"] + r["t_fit_s"]
        return train, dict(n=d["n_train"], read=d["t_read_s"], vec=r["t_vectorize_s"], fit=r["t_fit_s"],
                           it=r["n_iter"], f1=r["macro_f1"], acc=r["accuracy"], peak=peak_mb(time_path))
    if engine == "fasttext":
        train = d["t_read_s"] + d["t_total_train_s"]
        return train, dict(n=d["n_train"], read=d["t_read_s"], fit=d["t_total_train_s"], f1=d["macro_f1"],
                           acc=d["accuracy"], peak=peak_mb(time_path))
    return d["t_create_to_trained_s"], dict(f1=d["macro_f1"], acc=d["accuracy"], peak=d["peak_rss_mb"])


def runs(out, name, engine):
    found = []
    for path in sorted(glob.glob(f"{out}/{name}.{engine}.*.json")):
        try:
            d = json.load(open(path))
        except json.JSONDecodeError:
            continue
        found.append(row(engine, d, path[:-5] + ".time") + (d,))
    found.sort(key=lambda x: x[0])
    return found


def cell(v, fmt):
    return "" if v is None else format(v, fmt)


out, names = sys.argv[1], sys.argv[2:]
print("| data | engine | train docs | read s | vectorize s | fit s | iterations | **train s** | vs scikit-learn | vs fastText | accuracy | **macro F1** | peak RSS MB |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
notes = []
for name in names:
    found = {e: runs(out, name, e) for e in LABELS}
    sk = found["sklearn"][0][0] if found["sklearn"] else None
    ft = found["fasttext"][0][0] if found["fasttext"] else None
    for engine, label in LABELS.items():
        if not found[engine]:
            continue
        train, f, d = found[engine][0]
        vs_sk = cell(train / sk if sk else None, ".2f")
        vs_ft = cell(train / ft if ft else None, ".2f")
        print(f"| {name} | {label} | {cell(f.get('n'), ',')} | {cell(f.get('read'), '.2f')} | {cell(f.get('vec'), '.2f')} | "
              f"{cell(f.get('fit'), '.2f')} | {cell(f.get('it'), '')} | **{train:.2f}** | {vs_sk} | {vs_ft} | "
              f"{f['acc']:.4f} | **{f['f1']:.4f}** | {f['peak']:,.0f} |")
    all_runs = "; ".join(f"{LABELS[e]} {', '.join(f'{r[0]:.2f}' for r in found[e])}" for e in LABELS if found[e])
    notes.append(f"- {name}: train s of every run — {all_runs}.")
    if found["rust"]:
        d = found["rust"][0][2]
        r = d["runs"][0]
        notes.append(f"  comprehend-ml: {r['evaluations']} gradient passes took {r['t_gradient_s']:.2f} s of the "
                     f"{r['t_fit_s']:.2f} s fit ({r['termination']}); model {d['model_bytes']/1e6:.1f} MB, load "
                     f"{d['model_load_ms']:.1f} ms, one 1 KB document scored in {d['predict_1kb_us']['median']:.1f} µs.")
    if found["server"]:
        phases = "; ".join(found["server"][0][2]["phases"])
        notes.append(f"  server phases of the fastest run: {phases}")
print()
print("\n".join(notes))
