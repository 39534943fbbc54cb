#!/usr/bin/env bash
# Serving benchmark for custom entity recognizers (issue #10): DetectEntities throughput and
# latency with wrk against an IN_SERVICE endpoint of a recognizer trained on wikigold
# (documents + annotations, PER/LOC/ORG/MISC), the test file's sentences as request bodies.
#
# Usage: crates/server/benches/serve_entities.sh [path/to/shared/data]   (needs wrk, aws, python3)
set -euo pipefail
cd "$(dirname "$0")/../../.."
DATA=${1:-../shared/data}/wikigold
DURATION=${DURATION:-20s}
BENCH=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$BENCH"' EXIT
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
ROLE=arn:aws:iam::111122223333:role/Bench
LUA=crates/server/benches/wrk-post.lua

cargo build --release -p comprehend-local --bin comprehend-local >&2
PORT=4620
target/release/comprehend-local --bind 127.0.0.1:$PORT --data-dir "$BENCH/data" --log warn > "$BENCH/server.log" 2>&1 &
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$PORT/health >/dev/null && break; sleep 0.1; done
cl() { aws --endpoint-url http://127.0.0.1:$PORT "$@"; }
cl s3 mb s3://bench-ner >/dev/null
cl s3 cp "$DATA/wikigold-train.txt" s3://bench-ner/train/wikigold-train.txt >/dev/null
cl s3 cp "$DATA/wikigold-train-annotations.csv" s3://bench-ner/annotations.csv >/dev/null
MODEL=$(cl comprehend create-entity-recognizer --recognizer-name bench --data-access-role-arn $ROLE --language-code en \
  --input-data-config '{"EntityTypes":[{"Type":"PER"},{"Type":"LOC"},{"Type":"ORG"},{"Type":"MISC"}],
    "Documents":{"S3Uri":"s3://bench-ner/train/"},"Annotations":{"S3Uri":"s3://bench-ner/annotations.csv"}}' \
  --query EntityRecognizerArn --output text)
until [ "$(cl comprehend describe-entity-recognizer --entity-recognizer-arn "$MODEL" --query EntityRecognizerProperties.Status --output text)" = TRAINED ]; do sleep 0.5; done
cl comprehend describe-entity-recognizer --entity-recognizer-arn "$MODEL" --output text \
  --query 'EntityRecognizerProperties.[TrainingStartTime,TrainingEndTime,RecognizerMetadata.EvaluationMetrics.F1Score]' \
  | awk '{printf "recognizer trained in %.2f s (queue to end), held-out micro F1 %.2f\n", $2-$1, $3}'
ENDPOINT=$(cl comprehend create-endpoint --endpoint-name bench --model-arn "$MODEL" --desired-inference-units 1 --query EndpointArn --output text)
until [ "$(cl comprehend describe-endpoint --endpoint-arn "$ENDPOINT" --query EndpointProperties.Status --output text)" = IN_SERVICE ]; do sleep 0.2; done

# Request bodies: the test file's sentences (unseen in training).
python3 - "$DATA/wikigold-test.txt" "$ENDPOINT" > "$BENCH/detect.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        print(json.dumps({"EndpointArn": sys.argv[2], "Text": line.rstrip("\n"), "LanguageCode": "en"}))
PY

echo "| server | operation | connections | result |"
echo "|---|---|---|---|"
for c in 8 64; do
  line=$(wrk -t2 -c"$c" -d"$DURATION" --latency -s "$LUA" http://127.0.0.1:$PORT/ -- \
    Comprehend_20171127.DetectEntities "$BENCH/detect.jsonl" | grep '^RESULT')
  echo "| comprehend-local | DetectEntities | $c | ${line#RESULT } |"
done
