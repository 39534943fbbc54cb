#!/usr/bin/env bash
# Side-by-side benchmark of comprehend-ml against shared/data/sklearn_baseline.py (the
# reference for quality) and shared/data/fasttext_baseline.py (the reference for speed), and of
# training through the server (bench/server_train.sh).
#
#   crates/ml/bench/compare.sh OUT_DIR NAME TRAIN.csv TEST.csv [NAME TRAIN TEST ...]
#
# For every pair, runs each engine of ENGINES (default "sklearn fasttext rust server") in
# turn, REPEAT times each (default 3), each under /usr/bin/time -v for peak RSS, writing
# OUT_DIR/NAME.ENGINE.RUN.{json,time}. The engine that goes first rotates between runs (on this
# VM a process that starts right after another one freed a lot of memory pays for faulting it
# back in). bench/table.py then keeps each engine's fastest run. Before every run it waits (up
# to 5 minutes) until the CPUs have been at least 85 % idle for 3 seconds, because other builds
# on a 2-core machine distort every engine's timings.
# Environment: PYTHON (a Python with scikit-learn and fasttext-numpy2; default
# /work/venv-ml/bin/python), SHARED (default ../shared/data next to the repository), ENGINES,
# REPEAT, IDLE (the idle percentage to wait for, default 85), CARGO_TARGET_DIR, AWS_CLI (for the
# server runs).
set -euo pipefail
out=$1; shift
root=$(cd "$(dirname "$0")/../../.." && pwd)
python=${PYTHON:-/work/venv-ml/bin/python}
shared=${SHARED:-$root/../shared/data}
repeat=${REPEAT:-3}
read -r -a engines <<< "${ENGINES:-sklearn fasttext rust server}"
mkdir -p "$out"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cargo build --release -q -p comprehend-ml --example bench -p comprehend-local --bin comprehend-local \
    --manifest-path "$root/Cargo.toml"
bench=$CARGO_TARGET_DIR/release/examples/bench
server=$CARGO_TARGET_DIR/release/comprehend-local

idle_percent() { # CPU idle share over the next 3 seconds
    local a b
    read -r -a a < /proc/stat; sleep 3; read -r -a b < /proc/stat
    local busy=$(( (b[1]+b[2]+b[3]+b[6]+b[7]) - (a[1]+a[2]+a[3]+a[6]+a[7]) ))
    local idle=$(( (b[4]+b[5]) - (a[4]+a[5]) ))
    echo $(( 100 * idle / (busy + idle + 1) ))
}

quiet() {
    for _ in $(seq 100); do
        [ "$(idle_percent)" -ge "${IDLE:-85}" ] && return 0
    done
    echo "warning: machine still busy" >&2
}

while [ $# -ge 3 ]; do
    name=$1 train=$2 test=$3; shift 3
    for run in $(seq "$repeat"); do
        shift_by=$(( (run - 1) % ${#engines[@]} ))
        order=("${engines[@]:shift_by}" "${engines[@]:0:shift_by}")
        for engine in "${order[@]}"; do
            quiet
            base=$out/$name.$engine.$run
            case $engine in
                sklearn) cmd=("$python" "$shared/sklearn_baseline.py" "$train" "$test" --ngrams 1) ;;
                fasttext) cmd=("$python" "$shared/fasttext_baseline.py" "$train" "$test") ;;
                rust) cmd=("$bench" "$train" "$test") ;;
                server) cmd=("$root/crates/ml/bench/server_train.sh" "$server" "$train" "$test") ;;
                *) echo "unknown engine $engine" >&2; exit 2 ;;
            esac
            echo "$name $engine run $run: load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
            /usr/bin/time -v -o "$base.time" "${cmd[@]}" > "$base.json" 2> "$base.err"
        done
        echo "$name run $run done $(date +%T)" >&2
    done
done
