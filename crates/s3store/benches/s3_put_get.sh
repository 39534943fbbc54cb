#!/usr/bin/env bash
# PutObject and GetObject of 1 KB and 10 MB objects on loopback (requests/s and MB/s), in one
# run, against:
#   1. the built-in S3 of this tree (comprehend-s3store: SQLite index + content files),
#   2. the previous built-in S3 (s3s-fs 0.14.1), built from OLD_REV,
#   3. moto's S3 (.venv/bin/moto_server, installed by tests/run.sh).
# Release builds; each server gets a fresh data directory and logs only warnings. The load is
# benches/s3_load.rs: bounded request counts at fixed concurrency (see CASES there).
#
# usage: crates/s3store/benches/s3_put_get.sh [OLD_REV]    (OLD_REV defaults to the last
#        commit with the s3s-fs backend)
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
OLD_REV=${1:-cb57f56}
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  git -C "$ROOT" worktree remove --force "$WORK/old" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 1 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

# The old server: the same workspace at OLD_REV (shares target/, so only its own crates build).
git worktree add --detach --quiet "$WORK/old" "$OLD_REV"
(cd "$WORK/old" && CARGO_TARGET_DIR="$ROOT/target" cargo build --release --quiet -p comprehend-local --bin comprehend-local)
cp target/release/comprehend-local "$WORK/old-server"
cargo build --release --quiet -p comprehend-local --bin comprehend-local
cargo build --release --quiet -p comprehend-s3store --example s3_load
LOAD=target/release/examples/s3_load

start_server() { # binary label; sets URL
  local port; port=$(free_port)
  mkdir -p "$WORK/data-$2"
  COMPREHEND_LOCAL_LOG=warn "$1" --bind "127.0.0.1:$port" --data-dir "$WORK/data-$2" >"$WORK/$2.log" 2>&1 &
  PIDS+=($!)
  wait_up "http://127.0.0.1:$port/health"
  URL="http://127.0.0.1:$port"
}

echo "| server | operation | size | requests | concurrency | requests/s | MB/s |"
echo "|---|---|---|---|---|---:|---:|"
start_server target/release/comprehend-local new
"$LOAD" "$URL" "comprehend-s3store"
start_server "$WORK/old-server" old
"$LOAD" "$URL" "s3s-fs 0.14.1 (before)"
PORT=$(free_port)
.venv/bin/moto_server -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
PIDS+=($!)
wait_up "http://127.0.0.1:$PORT/"
"$LOAD" "http://127.0.0.1:$PORT" "moto $(.venv/bin/python -c 'import moto; print(moto.__version__)')"
