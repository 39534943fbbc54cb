#!/usr/bin/env bash
# Console benchmark (issue #13): server time of the console's list pages, from the
# server's own log (latency_ms of each "console page" line): the models page with N
# (1,000) classifier versions, and the flywheels page with the 10 flywheels a fresh
# account may have CREATING at once (Comprehend's flywheel quota is 50 per account and
# region, so no flywheels page ever lists 1,000).
#
# Usage: crates/server/benches/console.sh   (needs python3 with boto3: tests/run.sh's .venv)
set -euo pipefail
cd "$(dirname "$0")/../../.."
N=${N:-1000}
ROUNDS=${ROUNDS:-20}
BENCH=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$BENCH"' EXIT
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1

cargo build --release -p comprehend-local --bin comprehend-local >&2
PORT=4614
URL=http://127.0.0.1:$PORT
# No workers: the resources stay as created, so the pages list exactly N of each.
target/release/comprehend-local --bind 127.0.0.1:$PORT --data-dir "$BENCH/data" --workers 0 \
  --log comprehend_local::console=info,warn > "$BENCH/server.log" 2>&1 &
for _ in $(seq 1 100); do curl -sf $URL/health >/dev/null && break; sleep 0.1; done

python3 - "$URL" "$N" <<'PY'
import sys, boto3
url, n = sys.argv[1], int(sys.argv[2])
c = boto3.client("comprehend", endpoint_url=url)
role = "arn:aws:iam::111122223333:role/Bench"
for i in range(n):
    c.create_document_classifier(DocumentClassifierName=f"bench-{i}", DataAccessRoleArn=role,
        InputDataConfig={"S3Uri": "s3://bench-data/train.csv"}, LanguageCode="en")
    if i >= 10:
        continue  # the flywheel quota: 50 per account and region, 10 of them CREATING
    c.create_flywheel(FlywheelName=f"bench-{i}", DataAccessRoleArn=role, ModelType="DOCUMENT_CLASSIFIER",
        DataLakeS3Uri="s3://bench-lake/lake",
        TaskConfig={"LanguageCode": "en", "DocumentClassificationConfig": {"Mode": "MULTI_CLASS", "Labels": ["A", "B"]}})
PY

: > "$BENCH/sizes"
for page in flywheels models; do
  for _ in $(seq 1 "$ROUNDS"); do
    curl -s -o "$BENCH/page.html" -w "$page %{size_download}\n" "$URL/console/$page" >> "$BENCH/sizes"
  done
done
python3 - "$BENCH/server.log" "$BENCH/sizes" "$N" <<'PY'
import re, statistics, sys
log, sizes, n = sys.argv[1], sys.argv[2], sys.argv[3]
times = {}
for line in open(log):
    m = re.search(r'path=/console/(\w+).*latency_ms="?([0-9.]+)', line)
    if m:
        times.setdefault(m.group(1), []).append(float(m.group(2)))
size = {l.split()[0]: int(l.split()[1]) for l in open(sizes)}
print("| page | median ms | p90 ms | max ms | HTML KB |")
print("|---|---:|---:|---:|---:|")
for page, t in times.items():
    t.sort()
    print(f"| /console/{page} | {statistics.median(t):.2f} | {t[int(len(t) * 0.9) - 1]:.2f} | {t[-1]:.2f} | {size[page] / 1024:.0f} |")
PY
