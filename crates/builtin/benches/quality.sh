#!/usr/bin/env bash
# Quality and speed of the built-in analysis engines beside their open-source references,
# on the labelled sets in benches/data/: each family's Rust example, then its Python
# reference, in the same run, alternating, REPEAT times (default 2).
#
# Usage: crates/builtin/benches/quality.sh [family…]   (families: pii pii_names entities sentiment language toxicity)
# The references come from PyPI into $BENCH_VENV (default .bench-venv), created on first use.
set -euo pipefail
cd "$(dirname "$0")/../../.."
VENV=${BENCH_VENV:-.bench-venv}
REPEAT=${REPEAT:-2}
if ! "$VENV/bin/python" -c "import presidio_analyzer, vaderSentiment, langdetect, lingua, profanity_check" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r crates/builtin/benches/requirements.txt
fi
families=("$@")
[ ${#families[@]} -gt 0 ] || families=(pii pii_names entities sentiment language toxicity)
cargo build --release -p comprehend-builtin --examples >&2
for run in $(seq 1 "$REPEAT"); do
  for family in "${families[@]}"; do
    echo "=== run $run: $family — comprehend-builtin"
    "target/release/examples/${family}_quality"
    echo "=== run $run: $family — reference"
    "$VENV/bin/python" "crates/builtin/benches/${family}_reference.py"
  done
done
