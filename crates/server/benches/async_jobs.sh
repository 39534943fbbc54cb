#!/usr/bin/env bash
# Async classification jobs, two builds side by side (issue #24: the document-job layer
# must not slow the jobs down): each binary trains a model on wordnet10/complete.csv, then
# the two run a 1,000,000-line ONE_DOC_PER_LINE job in turn, ROUNDS times, alternating.
# Prints SubmitTime → EndTime and the server's peak RSS for each run.
#
# Usage: crates/server/benches/async_jobs.sh OLD_BINARY NEW_BINARY [path/to/shared/data]
# (needs aws, python3; build each with `cargo build --release --bin comprehend-local`)
set -euo pipefail
cd "$(dirname "$0")/../../.."
OLD=$1 NEW=$2 DATA=${3:-../shared/data} ROUNDS=${ROUNDS:-3}
BENCH=$(mktemp -d)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$BENCH"' EXIT
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
ROLE=arn:aws:iam::111122223333:role/Bench

python3 - "$DATA/wordnet10/complete.csv" > "$BENCH/million.txt" <<'PY'
import csv, sys
rows = [t for _, t in csv.reader(open(sys.argv[1], encoding="utf-8"))]
for i in range(1_000_000):
    print(rows[i % len(rows)])
PY

serve() { # name binary port
  "$2" --bind 127.0.0.1:"$3" --data-dir "$BENCH/$1" --log warn > "$BENCH/$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do curl -sf http://127.0.0.1:"$3"/health >/dev/null && break; sleep 0.1; done
}

train() { # port: uploads the data and trains a model; prints its ARN
  local cl="aws --endpoint-url http://127.0.0.1:$1"
  $cl s3 mb s3://bench >/dev/null
  $cl s3 cp "$DATA/wordnet10/complete.csv" s3://bench/complete.csv >/dev/null
  $cl s3 cp "$BENCH/million.txt" s3://bench/million/lines.txt >/dev/null
  local model
  model=$($cl comprehend create-document-classifier --document-classifier-name bench --data-access-role-arn $ROLE \
    --input-data-config S3Uri=s3://bench/complete.csv --language-code en --query DocumentClassifierArn --output text)
  until [ "$($cl comprehend describe-document-classifier --document-classifier-arn "$model" \
    --query DocumentClassifierProperties.Status --output text)" = TRAINED ]; do sleep 0.5; done
  echo "$model"
}

job() { # name port model
  local cl="aws --endpoint-url http://127.0.0.1:$2" id pid
  pid=$(pgrep -f -- "--bind 127.0.0.1:$2" | head -1)
  id=$($cl comprehend start-document-classification-job --document-classifier-arn "$3" --data-access-role-arn $ROLE \
    --input-data-config S3Uri=s3://bench/million/ --output-data-config S3Uri=s3://bench/out/ --query JobId --output text)
  until [ "$($cl comprehend describe-document-classification-job --job-id "$id" \
    --query DocumentClassificationJobProperties.JobStatus --output text)" = COMPLETED ]; do sleep 0.2; done
  read -r s e < <($cl comprehend describe-document-classification-job --job-id "$id" \
    --query 'DocumentClassificationJobProperties.[SubmitTime,EndTime]' --output text)
  python3 -c "s, e = float('$s'), float('$e'); print(f'| $1 | {e-s:.2f} s | {1e6/(e-s):,.0f} | {$(awk '/VmHWM/{print $2}' /proc/$pid/status)/1024:.0f} MiB |')"
}

serve old "$OLD" 4620
serve new "$NEW" 4621
OLD_MODEL=$(train 4620)
NEW_MODEL=$(train 4621)
echo "| build | 1,000,000 lines, SubmitTime → EndTime | documents/s | server peak RSS so far |"
echo "|---|---:|---:|---:|"
for _ in $(seq 1 "$ROUNDS"); do
  job old 4620 "$OLD_MODEL"
  job new 4621 "$NEW_MODEL"
done
