#!/usr/bin/env bash
# Custom entity recognition with the AWS CLI, against comprehend-local.
#
# Start the server first (`cargo run --release`), then run: examples/entities.sh
# It uploads documents and annotations, trains a recognizer for PERSON and LOCATION,
# shows its per-type metrics, serves it through an endpoint (DetectEntities), runs an async
# entities detection job over the same text, and cleans up.
#
# Settings: ENDPOINT_URL (default http://127.0.0.1:4599), PREFIX (name prefix, default
# entities), RUN (a suffix for this run's resource names, default the time). It runs any
# number of times against one server: the bucket is reused, the recognizer, endpoint and
# job of each run get names of their own.
#
# The data in examples/data/entities/ are synthetic sentences (written by
# tests/fixtures/ner/make_ner_fixtures.py), annotated with code-point offsets.
set -euo pipefail

ENDPOINT_URL=${ENDPOINT_URL:-http://127.0.0.1:4599}
PREFIX=${PREFIX:-entities}
DATA=$(cd "$(dirname "$0")/data/entities" && pwd)
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} AWS_PAGER=""
ROLE=arn:aws:iam::111122223333:role/ComprehendDataAccess
RUN=${RUN:-$(date +%Y%m%d%H%M%S)}
NAME=$PREFIX-$RUN
BUCKET=$PREFIX-data

aws() { command aws --endpoint-url "$ENDPOINT_URL" "$@"; }
step() { printf '\n== %s\n' "$*"; }
# wait_for <description> <command...>: polls until the command prints a final status.
wait_for() {
  local what=$1 status; shift
  for _ in $(seq 1 600); do
    status=$("$@")
    case $status in
      SUBMITTED|TRAINING|STOP_REQUESTED|CREATING|UPDATING|IN_PROGRESS) sleep 1 ;;
      *) echo "$what: $status"; return 0 ;;
    esac
  done
  echo "$what: still $status after 10 minutes" >&2; return 1
}

step "1. A bucket with documents and annotations"
aws s3api head-bucket --bucket "$BUCKET" 2>/dev/null || aws s3 mb "s3://$BUCKET"
aws s3 cp "$DATA/train.txt" "s3://$BUCKET/train/train.txt"
aws s3 cp "$DATA/train-annotations.csv" "s3://$BUCKET/annotations/train.csv"
aws s3 cp "$DATA/test.txt" "s3://$BUCKET/test/test.txt"
aws s3 cp "$DATA/test-annotations.csv" "s3://$BUCKET/annotations/test.csv"
aws s3 cp "$DATA/inference.txt" "s3://$BUCKET/inference/inference.txt"

step "2. A recognizer trained on the annotations"
RECOGNIZER=$(aws comprehend create-entity-recognizer \
  --recognizer-name "$NAME" \
  --version-name v1 \
  --data-access-role-arn "$ROLE" \
  --language-code en \
  --input-data-config "{
    \"EntityTypes\": [{\"Type\": \"PERSON\"}, {\"Type\": \"LOCATION\"}],
    \"Documents\": {\"S3Uri\": \"s3://$BUCKET/train/\", \"TestS3Uri\": \"s3://$BUCKET/test/\"},
    \"Annotations\": {\"S3Uri\": \"s3://$BUCKET/annotations/train.csv\",
                      \"TestS3Uri\": \"s3://$BUCKET/annotations/test.csv\"}}" \
  --query EntityRecognizerArn --output text)
echo "$RECOGNIZER"
wait_for "recognizer" aws comprehend describe-entity-recognizer --entity-recognizer-arn "$RECOGNIZER" \
  --query EntityRecognizerProperties.Status --output text
aws comprehend describe-entity-recognizer --entity-recognizer-arn "$RECOGNIZER" \
  --query 'EntityRecognizerProperties.{Status:Status,Message:Message,Metadata:RecognizerMetadata}'

step "3. An endpoint and DetectEntities on new text"
ENDPOINT=$(aws comprehend create-endpoint --endpoint-name "$NAME-endpoint" --model-arn "$RECOGNIZER" \
  --desired-inference-units 1 --query EndpointArn --output text)
wait_for "endpoint" aws comprehend describe-endpoint --endpoint-arn "$ENDPOINT" \
  --query EndpointProperties.Status --output text
aws comprehend detect-entities --endpoint-arn "$ENDPOINT" \
  --text "$(sed -n 1p "$DATA/inference.txt")" --output table \
  --query 'Entities[].{Text:Text,Type:Type,Begin:BeginOffset,End:EndOffset,Score:Score}'

step "4. An async entities detection job over the same documents"
JOB=$(aws comprehend start-entities-detection-job --job-name "$NAME-job" \
  --entity-recognizer-arn "$RECOGNIZER" --language-code en --data-access-role-arn "$ROLE" \
  --input-data-config "S3Uri=s3://$BUCKET/inference/,InputFormat=ONE_DOC_PER_LINE" \
  --output-data-config "S3Uri=s3://$BUCKET/inference-output/" \
  --query JobId --output text)
wait_for "entities job" aws comprehend describe-entities-detection-job --job-id "$JOB" \
  --query EntitiesDetectionJobProperties.JobStatus --output text
OUTPUT=$(aws comprehend describe-entities-detection-job --job-id "$JOB" \
  --query EntitiesDetectionJobProperties.OutputDataConfig.S3Uri --output text)
SCRATCH=$(mktemp -d)
aws s3 cp "$OUTPUT" "$SCRATCH/output.tar.gz" >/dev/null
tar -xzf "$SCRATCH/output.tar.gz" -C "$SCRATCH"
echo "$OUTPUT holds one line per document:"
cat "$SCRATCH/output"
rm -r "$SCRATCH"

step "5. Clean up"
aws comprehend delete-endpoint --endpoint-arn "$ENDPOINT"
for _ in $(seq 1 60); do
  aws comprehend describe-endpoint --endpoint-arn "$ENDPOINT" >/dev/null 2>&1 || break
  sleep 1
done
echo "endpoint deleted"
aws comprehend delete-entity-recognizer --entity-recognizer-arn "$RECOGNIZER"
echo "deleted $RECOGNIZER"
echo
echo "Entities walkthrough complete."
