#!/usr/bin/env bash
# Side-by-side benchmark of comprehend-ml against shared/data/sklearn_baseline.py.
#
#   crates/ml/bench/compare.sh OUT_DIR NAME TRAIN.csv TEST.csv [NAME TRAIN TEST ...]
#
# For every pair, runs the scikit-learn baseline (unigrams, one BLAS thread) and then this
# crate's `bench` example, each under /usr/bin/time -v for peak RSS, and writes
# OUT_DIR/NAME.sklearn.json, OUT_DIR/NAME.rust.json and the matching .time files.
# Before each run it waits (up to 10 minutes) for the 1-minute load average to drop below
# 0.5, because other builds on a 2-core machine distort both timings.
# Environment: PYTHON (default /work/venv-ml/bin/python), BASELINE (default
# ../shared/data/sklearn_baseline.py relative to the repository root).
set -euo pipefail
out=$1; shift
root=$(cd "$(dirname "$0")/../../.." && pwd)
python=${PYTHON:-/work/venv-ml/bin/python}
baseline=${BASELINE:-$root/../shared/data/sklearn_baseline.py}
mkdir -p "$out"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cargo build --release -q -p comprehend-ml --example bench --manifest-path "$root/Cargo.toml"
bench=$CARGO_TARGET_DIR/release/examples/bench

quiet() {
    for _ in $(seq 120); do
        awk '{ exit !($1 < 0.5) }' /proc/loadavg && return 0
        sleep 5
    done
    echo "warning: machine still busy: $(cat /proc/loadavg)" >&2
}

while [ $# -ge 3 ]; do
    name=$1 train=$2 test=$3; shift 3
    quiet
    /usr/bin/time -v -o "$out/$name.sklearn.time" "$python" "$baseline" "$train" "$test" --ngrams 1 \
        > "$out/$name.sklearn.json" 2> "$out/$name.sklearn.err"
    quiet
    /usr/bin/time -v -o "$out/$name.rust.time" "$bench" "$train" "$test" > "$out/$name.rust.json"
    echo "$name done" >&2
done
