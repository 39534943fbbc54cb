#!/usr/bin/env bash
# Checks the Dockerfile's runtime contract without a Docker engine: start the release
# binary with the ENV the Dockerfile sets (its /data replaced by a temporary directory),
# hit the HEALTHCHECK's URL, and stop it with SIGTERM as `docker stop` would.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-target/release/comprehend-local}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

# The ENV instruction of the runtime stage, as NAME=value lines.
env_lines=$(awk '/^ENV /{on=1} on{print} on&&!/\\$/{on=0}' docker/Dockerfile \
  | sed -e 's/^ENV //' -e 's/\\$//' | tr -s ' ' '\n' | grep '=')
echo "$env_lines" | grep -qx 'COMPREHEND_LOCAL_BIND=0.0.0.0:4599'
echo "$env_lines" | grep -qx 'COMPREHEND_LOCAL_DATA_DIR=/data'
health=$(grep -o 'http://127.0.0.1:4599/health' docker/Dockerfile)

env $(echo "$env_lines" | sed "s|=/data$|=$data|") "$binary" > "$data/log" 2>&1 &
pid=$!
for _ in $(seq 1 50); do
  if curl -fsS "$health" > /dev/null 2>&1; then break; fi
  sleep 0.2
done
curl -fsS "$health" | grep -q '"status":"ready"'
test -f "$data/comprehend.db"
kill -TERM "$pid"
wait "$pid"
echo "docker/check.sh: the binary serves $health with the Dockerfile's environment and stops on SIGTERM"
