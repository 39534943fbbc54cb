#!/usr/bin/env bash
# Side-by-side benchmark of comprehend-ner against the CRFsuite reference (crf_baseline.py)
# on wikigold, in Comprehend's plain-text custom-entity formats.
#
#   crates/ner/benches/wikigold.sh [DATA_DIR] [-- extra arguments for the wikigold example]
#
# DATA_DIR defaults to ../shared/data/wikigold next to the repository; without it the script
# says so and exits 0. Runs CRFsuite and this crate's `wikigold` example alternately, REPEAT
# times each (default 3), after waiting (up to 5 minutes) for the CPUs to be 85 % idle for 3 s
# — other builds on a 2-core machine distort both engines' timings — then prints one row per
# engine with its fastest run (both engines are deterministic, so F1 is the same every run).
# Environment: PYTHON (default /work/main/.venv/bin/python, needs python-crfsuite==0.9.12),
# BASELINE (default crf_baseline.py beside the data directory), REPEAT, QUIET_TRIES (3-second
# idle checks before a run, default 100), CARGO_TARGET_DIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
data=${1:-$root/../shared/data/wikigold}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
if [ ! -f "$data/wikigold-train.txt" ]; then
    echo "no wikigold data in $data: nothing to compare" >&2
    exit 0
fi
python=${PYTHON:-$root/.venv/bin/python}
baseline=${BASELINE:-$data/../crf_baseline.py}
repeat=${REPEAT:-3}
out=$(mktemp -d)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cargo build --release -q -p comprehend-ner --example wikigold --manifest-path "$root/Cargo.toml"
bench=$CARGO_TARGET_DIR/release/examples/wikigold

idle_percent() { # CPU idle share over the next 3 seconds
    local a b
    read -r -a a < /proc/stat; sleep 3; read -r -a b < /proc/stat
    local busy=$(( (b[1]+b[2]+b[3]+b[6]+b[7]) - (a[1]+a[2]+a[3]+a[6]+a[7]) ))
    local idle=$(( (b[4]+b[5]) - (a[4]+a[5]) ))
    echo $(( 100 * idle / (busy + idle + 1) ))
}

quiet() {
    for _ in $(seq "${QUIET_TRIES:-100}"); do
        [ "$(idle_percent)" -ge 85 ] && return 0
    done
    echo "warning: machine still busy" >&2
}

for run in $(seq "$repeat"); do
    if [ $((run % 2)) -eq 1 ]; then order="crfsuite rust"; else order="rust crfsuite"; fi
    for engine in $order; do
        quiet
        if [ "$engine" = crfsuite ]; then
            "$python" "$baseline" "$data/wikigold-train.txt" "$data/wikigold-train-annotations.csv" \
                "$data/wikigold-test.txt" "$data/wikigold-test-annotations.csv" > "$out/crfsuite.$run.json"
        else
            "$bench" "$data" "$@" > "$out/rust.$run.json"
        fi
    done
done

"$python" - "$out" <<'PY'
import glob, json, sys
out = sys.argv[1]
print("| engine | train s | test s | micro P | micro R | micro F1 | " + " | ".join(f"{t} F1" for t in ("LOC", "MISC", "ORG", "PER")) + " |")
print("|---|---|---|---|---|---|---|---|---|---|")
for name in ("crfsuite", "rust"):
    runs = [json.load(open(f)) for f in sorted(glob.glob(f"{out}/{name}.*.json"))]
    best = min(runs, key=lambda r: r["t_train_s"])
    m = best["micro"]
    per = " | ".join(f'{best["per_type"][t]["f1"]:.4f}' for t in ("LOC", "MISC", "ORG", "PER"))
    times = ", ".join(f'{r["t_train_s"]:.2f}' for r in runs)
    print(f'| {best["engine"]} | {best["t_train_s"]:.3f} (runs: {times}) | {best["t_test_s"]:.3f} | '
          f'{m["precision"]:.4f} | {m["recall"]:.4f} | {m["f1"]:.4f} | {per} |')
PY
rm -rf "$out"
