#!/usr/bin/env bash
# Training memory of custom entity recognizers through the server (issue #10): for each corpus
# size, a fresh release server trains a recognizer on a synthetic corpus (documents +
# annotations, 4 types, made by make_ner_corpus.py) and the table shows the training time the
# API reports and the server's peak resident memory before and after training (VmHWM).
#
# Usage: crates/server/benches/train_entities_memory.sh [SIZE...]   (default: 20000 200000
#        20000x10; N[xK] as make_ner_corpus.py takes it — x10 is ten times the documents with
#        the same vocabulary; needs aws and python3)
set -euo pipefail
cd "$(dirname "$0")/../../.."
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(20000 200000 20000x10)
BENCH=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$BENCH"' EXIT
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
ROLE=arn:aws:iam::111122223333:role/Bench
PORT=4621
cargo build --release -p comprehend-local --bin comprehend-local >&2
cl() { aws --endpoint-url http://127.0.0.1:$PORT "$@"; }
hwm() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

echo "| training documents | training time (s) | server peak RSS before training (MiB) | after (MiB) | held-out micro F1 |"
echo "|---|---|---|---|---|"
for n in "${SIZES[@]}"; do
  python3 crates/server/benches/make_ner_corpus.py "$n" "$BENCH/corpus-$n"
  target/release/comprehend-local --bind 127.0.0.1:$PORT --data-dir "$BENCH/data-$n" --log warn > "$BENCH/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$PORT/health >/dev/null && break; sleep 0.1; done
  cl s3 mb s3://bench-ner >/dev/null
  cl s3 cp "$BENCH/corpus-$n/wikigold-train.txt" s3://bench-ner/train/docs.txt >/dev/null
  sed 's/^wikigold-train.txt,/docs.txt,/' "$BENCH/corpus-$n/wikigold-train-annotations.csv" > "$BENCH/ann.csv"
  cl s3 cp "$BENCH/ann.csv" s3://bench-ner/annotations.csv >/dev/null
  before=$(hwm $pid)
  model=$(cl comprehend create-entity-recognizer --recognizer-name bench --data-access-role-arn $ROLE --language-code en \
    --input-data-config '{"EntityTypes":[{"Type":"PER"},{"Type":"LOC"},{"Type":"ORG"},{"Type":"MISC"}],
      "Documents":{"S3Uri":"s3://bench-ner/train/"},"Annotations":{"S3Uri":"s3://bench-ner/annotations.csv"}}' \
    --query EntityRecognizerArn --output text)
  until status=$(cl comprehend describe-entity-recognizer --entity-recognizer-arn "$model" --query EntityRecognizerProperties.Status --output text) \
        && [[ $status == TRAINED || $status == IN_ERROR ]]; do sleep 0.5; done
  [[ $status == TRAINED ]] || { cl comprehend describe-entity-recognizer --entity-recognizer-arn "$model" >&2; exit 1; }
  read -r start end f1 < <(cl comprehend describe-entity-recognizer --entity-recognizer-arn "$model" --output text \
    --query 'EntityRecognizerProperties.[TrainingStartTime,TrainingEndTime,RecognizerMetadata.EvaluationMetrics.F1Score]')
  printf "| %s | %.1f | %s | %s | %.2f |\n" "$n" "$(awk -v s="$start" -v e="$end" 'BEGIN {print e - s}')" "$before" "$(hwm $pid)" "$f1"
  kill $pid; wait $pid 2>/dev/null || true
done
