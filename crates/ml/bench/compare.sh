#!/usr/bin/env bash
# Side-by-side benchmark of comprehend-ml against shared/data/sklearn_baseline.py.
#
#   crates/ml/bench/compare.sh OUT_DIR NAME TRAIN.csv TEST.csv [NAME TRAIN TEST ...]
#
# For every pair, runs the scikit-learn baseline (unigrams, one BLAS thread) and this crate's
# `bench` example alternately, REPEAT times each (default 3), each under /usr/bin/time -v for
# peak RSS, writing OUT_DIR/NAME.{sklearn,rust}.RUN.{json,time}. Which engine goes first
# alternates between runs (on this VM a process that starts right after another one freed a
# lot of memory pays for faulting it back in). bench/table.py then keeps each engine's fastest
# run. Before every run it waits (up to 5 minutes) until the CPUs have
# been at least 85 % idle for 3 seconds, because other builds on a 2-core machine distort
# both engines' timings.
# Environment: PYTHON (default /work/venv-ml/bin/python), BASELINE (default
# ../shared/data/sklearn_baseline.py next to the repository), REPEAT, CARGO_TARGET_DIR.
set -euo pipefail
out=$1; shift
root=$(cd "$(dirname "$0")/../../.." && pwd)
python=${PYTHON:-/work/venv-ml/bin/python}
baseline=${BASELINE:-$root/../shared/data/sklearn_baseline.py}
repeat=${REPEAT:-3}
mkdir -p "$out"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cargo build --release -q -p comprehend-ml --example bench --manifest-path "$root/Cargo.toml"
bench=$CARGO_TARGET_DIR/release/examples/bench

idle_percent() { # CPU idle share over the next 3 seconds
    local a b
    read -r -a a < /proc/stat; sleep 3; read -r -a b < /proc/stat
    local busy=$(( (b[1]+b[2]+b[3]+b[6]+b[7]) - (a[1]+a[2]+a[3]+a[6]+a[7]) ))
    local idle=$(( (b[4]+b[5]) - (a[4]+a[5]) ))
    echo $(( 100 * idle / (busy + idle + 1) ))
}

quiet() {
    for _ in $(seq 100); do
        [ "$(idle_percent)" -ge 85 ] && return 0
    done
    echo "warning: machine still busy" >&2
}

while [ $# -ge 3 ]; do
    name=$1 train=$2 test=$3; shift 3
    for run in $(seq "$repeat"); do
        if [ $((run % 2)) -eq 1 ]; then order="sklearn rust"; else order="rust sklearn"; fi
        for engine in $order; do
            quiet
            if [ "$engine" = sklearn ]; then
                /usr/bin/time -v -o "$out/$name.sklearn.$run.time" "$python" "$baseline" "$train" "$test" \
                    --ngrams 1 > "$out/$name.sklearn.$run.json" 2> "$out/$name.sklearn.$run.err"
            else
                /usr/bin/time -v -o "$out/$name.rust.$run.time" "$bench" "$train" "$test" \
                    > "$out/$name.rust.$run.json"
            fi
        done
        echo "$name run $run done $(date +%T)" >&2
    done
done
