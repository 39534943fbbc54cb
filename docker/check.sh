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

# The build context: what `docker build .` would send after .dockerignore (its directory
# entries, at the top or as paths, and the `**/` patterns), which must stay a few MB whatever
# target/, .venv or a data directory hold.
context_bytes=$(python3 - <<'PY'
import fnmatch, os
patterns = [l.strip() for l in open(".dockerignore") if l.strip() and not l.startswith("#")]
dirs = {p.rstrip("/") for p in patterns if p.endswith("/") and not p.startswith("**")}
files = [p[3:] for p in patterns if p.startswith("**/") and not p.endswith("/")]
skip_any = {p[3:].rstrip("/") for p in patterns if p.startswith("**/") and p.endswith("/")}
total = 0
for root, subdirs, names in os.walk("."):
    rel = os.path.relpath(root, ".")
    subdirs[:] = [d for d in subdirs
                  if os.path.normpath(os.path.join(rel, d)) not in dirs and d not in skip_any]
    for name in names:
        if not any(fnmatch.fnmatch(name, f) for f in files):
            total += os.path.getsize(os.path.join(root, name))
print(total)
PY
)
# The sources are ~4 MB; the built-in analysis models' data (crates/builtin/data, compiled
# into the binary) adds ~4 MB and grows with each analysis family.
limit=$((16 * 1024 * 1024))
if [ "$context_bytes" -gt "$limit" ]; then
  echo "docker/check.sh: the Docker build context is $context_bytes bytes (limit $limit): extend .dockerignore" >&2
  exit 1
fi
echo "docker/check.sh: the Docker build context is $((context_bytes / 1024)) KiB after .dockerignore"
