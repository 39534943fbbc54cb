#!/usr/bin/env bash
# Serving benchmark (issue #6): ClassifyDocument throughput and latency with wrk against an
# IN_SERVICE endpoint of a model trained on wordnet10/complete.csv, beside moto_server
# answering DescribeDocumentClassifier (moto cannot classify: it stands for the fastest
# thing users have today), plus an async classification job over 100,000 lines.
#
# Usage: crates/server/benches/serve.sh [path/to/shared/data]   (needs wrk, aws, moto_server, python3)
set -euo pipefail
cd "$(dirname "$0")/../../.."
DATA=${1:-../shared/data}
DURATION=${DURATION:-20s}
BENCH=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$BENCH"' EXIT
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
ROLE=arn:aws:iam::111122223333:role/Bench
LUA=crates/server/benches/wrk-post.lua

cargo build --release -p comprehend-local --bin comprehend-local >&2
PORT=4610
target/release/comprehend-local --bind 127.0.0.1:$PORT --data-dir "$BENCH/data" --log warn > "$BENCH/server.log" 2>&1 &
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$PORT/health >/dev/null && break; sleep 0.1; done
cl() { aws --endpoint-url http://127.0.0.1:$PORT "$@"; }
cl s3 mb s3://bench-data >/dev/null
cl s3 cp "$DATA/wordnet10/complete.csv" s3://bench-data/complete.csv >/dev/null
MODEL=$(cl comprehend create-document-classifier --document-classifier-name bench --data-access-role-arn $ROLE \
  --input-data-config S3Uri=s3://bench-data/complete.csv --language-code en --query DocumentClassifierArn --output text)
until [ "$(cl comprehend describe-document-classifier --document-classifier-arn "$MODEL" --query DocumentClassifierProperties.Status --output text)" = TRAINED ]; do sleep 0.5; done
ENDPOINT=$(cl comprehend create-endpoint --endpoint-name bench --model-arn "$MODEL" --desired-inference-units 1 --query EndpointArn --output text)
until [ "$(cl comprehend describe-endpoint --endpoint-arn "$ENDPOINT" --query EndpointProperties.Status --output text)" = IN_SERVICE ]; do sleep 0.2; done

# Request bodies: real test sentences.
python3 - "$DATA/wordnet10/test.csv" "$ENDPOINT" > "$BENCH/classify.jsonl" <<'PY'
import csv, json, sys
for label, text in csv.reader(open(sys.argv[1], encoding="utf-8")):
    print(json.dumps({"EndpointArn": sys.argv[2], "Text": text}))
PY

# moto_server with one classifier to describe.
moto_server -H 127.0.0.1 -p 4611 > "$BENCH/moto.log" 2>&1 &
for _ in $(seq 1 100); do curl -s http://127.0.0.1:4611/ >/dev/null && break; sleep 0.1; done
MOTO_MODEL=$(aws --endpoint-url http://127.0.0.1:4611 comprehend create-document-classifier --document-classifier-name bench \
  --data-access-role-arn $ROLE --input-data-config S3Uri=s3://bench-data/complete.csv --language-code en \
  --query DocumentClassifierArn --output text)
echo "{\"DocumentClassifierArn\": \"$MOTO_MODEL\"}" > "$BENCH/describe.jsonl"

run() { # name url target bodies connections
  local line
  line=$(wrk -t2 -c"$5" -d"$DURATION" --latency -s "$LUA" "$2" -- "$3" "$4" | grep '^RESULT')
  echo "| $1 | $5 | ${line#RESULT }"
}
echo "| server | connections | result |"
echo "|---|---|---|"
for c in 8 64; do
  run "comprehend-local ClassifyDocument" http://127.0.0.1:$PORT/ Comprehend_20171127.ClassifyDocument "$BENCH/classify.jsonl" $c
  run "moto_server DescribeDocumentClassifier" http://127.0.0.1:4611/ Comprehend_20171127.DescribeDocumentClassifier "$BENCH/describe.jsonl" $c
done

# Async job over 100,000 lines of real sentences.
python3 - "$DATA/wordnet10/complete.csv" > "$BENCH/lines.txt" <<'PY'
import csv, sys
rows = [t for _, t in csv.reader(open(sys.argv[1], encoding="utf-8"))]
for i in range(100_000):
    print(rows[i % len(rows)])
PY
cl s3 cp "$BENCH/lines.txt" s3://bench-data/async/lines.txt >/dev/null
JOB=$(cl comprehend start-document-classification-job --document-classifier-arn "$MODEL" --data-access-role-arn $ROLE \
  --input-data-config S3Uri=s3://bench-data/async/ --output-data-config S3Uri=s3://bench-data/async-out/ --query JobId --output text)
until [ "$(cl comprehend describe-document-classification-job --job-id "$JOB" --query DocumentClassificationJobProperties.JobStatus --output text)" = COMPLETED ]; do sleep 0.2; done
read -r SUBMIT END < <(cl comprehend describe-document-classification-job --job-id "$JOB" \
  --query 'DocumentClassificationJobProperties.[SubmitTime,EndTime]' --output text)
python3 -c "s=float('$SUBMIT'); e=float('$END'); print(f'async job: 100000 lines in {e-s:.2f} s = {100000/(e-s):,.0f} documents/s')"

# Streaming: an async job over 1,000,000 lines must not hold its input in memory.
SERVER_PID=$(pgrep -f "comprehend-local --bind 127.0.0.1:$PORT" | head -1)
python3 - "$DATA/wordnet10/complete.csv" > "$BENCH/million.txt" <<'PY'
import csv, sys
rows = [t for _, t in csv.reader(open(sys.argv[1], encoding="utf-8"))]
for i in range(1_000_000):
    print(rows[i % len(rows)])
PY
cl s3 cp "$BENCH/million.txt" s3://bench-data/million/lines.txt >/dev/null
before=$(awk '/VmHWM/{print $2}' /proc/$SERVER_PID/status)
JOB=$(cl comprehend start-document-classification-job --document-classifier-arn "$MODEL" --data-access-role-arn $ROLE \
  --input-data-config S3Uri=s3://bench-data/million/ --output-data-config S3Uri=s3://bench-data/million-out/ --query JobId --output text)
until [ "$(cl comprehend describe-document-classification-job --job-id "$JOB" --query DocumentClassificationJobProperties.JobStatus --output text)" = COMPLETED ]; do sleep 0.5; done
after=$(awk '/VmHWM/{print $2}' /proc/$SERVER_PID/status)
read -r SUBMIT END < <(cl comprehend describe-document-classification-job --job-id "$JOB" \
  --query 'DocumentClassificationJobProperties.[SubmitTime,EndTime]' --output text)
python3 -c "
s, e = float('$SUBMIT'), float('$END')
size = $(stat -c %s "$BENCH/million.txt") / 2**20
print(f'async job: 1000000 lines ({size:.0f} MiB) in {e-s:.2f} s = {1e6/(e-s):,.0f} documents/s; '
      f'server peak RSS {$before/1024:.0f} MiB before the job, {$after/1024:.0f} MiB after')"
