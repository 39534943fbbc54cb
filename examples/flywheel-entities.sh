#!/usr/bin/env bash
# The Comprehend flywheel story for custom entity recognition, with the AWS CLI, against
# comprehend-local.
#
# Start the server first (`cargo run --release`), then run: examples/flywheel-entities.sh
# It trains a recognizer for PER, LOC, ORG and MISC on 150 annotated Wikipedia sentences,
# builds a flywheel around it, feeds the flywheel 650 more, lets an iteration train and
# evaluate a new version on held-out sentences (it must beat the first one, or the script
# fails), promotes it, serves it through an endpoint (DetectEntities) and an async entities
# detection job that both follow the flywheel, and cleans up.
#
# Settings: ENDPOINT_URL (default http://127.0.0.1:4599), PREFIX (name prefix, default
# flywheel-entities), RUN (a suffix for this run's resource names, default the time).
# It runs any number of times against one server: the bucket is reused; the recognizer,
# flywheel (and its data lake folder), endpoint and job of each run get names of their own.
#
# The data in examples/data/wikigold/ are a slice of the wikigold corpus (CC-BY 4.0,
# Balasuriya et al. 2009); its README says how it was cut.
set -euo pipefail

ENDPOINT_URL=${ENDPOINT_URL:-http://127.0.0.1:4599}
PREFIX=${PREFIX:-flywheel-entities}
DATA=$(cd "$(dirname "$0")/data/wikigold" && pwd)
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} AWS_PAGER=""
ROLE=arn:aws:iam::111122223333:role/ComprehendDataAccess
RUN=${RUN:-$(date +%Y%m%d%H%M%S)}
NAME=$PREFIX-$RUN
BUCKET=$PREFIX-data
LAKE=s3://$BUCKET/$NAME-lake/

aws() { command aws --endpoint-url "$ENDPOINT_URL" "$@"; }
step() { printf '\n== %s\n' "$*"; }
# wait_for <description> <command...>: polls until the command prints a final status.
wait_for() {
  local what=$1 status; shift
  for _ in $(seq 1 600); do
    status=$("$@")
    case $status in
      SUBMITTED|TRAINING|STOP_REQUESTED|CREATING|UPDATING|EVALUATING|IN_PROGRESS) sleep 1 ;;
      *) echo "$what: $status"; return 0 ;;
    esac
  done
  echo "$what: still $status after 10 minutes" >&2; return 1
}

step "1. A bucket with documents and annotations"
aws s3api head-bucket --bucket "$BUCKET" 2>/dev/null || aws s3 mb "s3://$BUCKET"
for slice in initial new-data test; do
  aws s3 cp "$DATA/$slice.txt" "s3://$BUCKET/$slice/$slice.txt"
  aws s3 cp "$DATA/$slice-annotations.csv" "s3://$BUCKET/annotations/$slice.csv"
done
aws s3 cp "$DATA/inference.txt" "s3://$BUCKET/inference/inference.txt"

step "2. A recognizer trained on the first slice, tested on the held-out one"
RECOGNIZER=$(aws comprehend create-entity-recognizer \
  --recognizer-name "$NAME-recognizer" \
  --version-name v1 \
  --data-access-role-arn "$ROLE" \
  --language-code en \
  --input-data-config "{
    \"EntityTypes\": [{\"Type\": \"PER\"}, {\"Type\": \"LOC\"}, {\"Type\": \"ORG\"}, {\"Type\": \"MISC\"}],
    \"Documents\": {\"S3Uri\": \"s3://$BUCKET/initial/\", \"TestS3Uri\": \"s3://$BUCKET/test/\"},
    \"Annotations\": {\"S3Uri\": \"s3://$BUCKET/annotations/initial.csv\",
                      \"TestS3Uri\": \"s3://$BUCKET/annotations/test.csv\"}}" \
  --query EntityRecognizerArn --output text)
echo "$RECOGNIZER"
wait_for "recognizer" aws comprehend describe-entity-recognizer --entity-recognizer-arn "$RECOGNIZER" \
  --query EntityRecognizerProperties.Status --output text
aws comprehend describe-entity-recognizer --entity-recognizer-arn "$RECOGNIZER" \
  --query 'EntityRecognizerProperties.RecognizerMetadata.{Train:NumberOfTrainedDocuments,Test:NumberOfTestDocuments,Metrics:EvaluationMetrics}'
aws comprehend describe-entity-recognizer --entity-recognizer-arn "$RECOGNIZER" --output table \
  --query 'EntityRecognizerProperties.RecognizerMetadata.EntityTypes[].{Type:Type,Mentions:NumberOfTrainMentions,F1:EvaluationMetrics.F1Score}'

step "3. A flywheel around the trained recognizer"
FLYWHEEL=$(aws comprehend create-flywheel \
  --flywheel-name "$NAME-flywheel" \
  --active-model-arn "$RECOGNIZER" \
  --data-access-role-arn "$ROLE" \
  --data-lake-s3-uri "$LAKE" \
  --query FlywheelArn --output text)
echo "$FLYWHEEL"
wait_for "flywheel" aws comprehend describe-flywheel --flywheel-arn "$FLYWHEEL" --query FlywheelProperties.Status --output text
aws comprehend describe-flywheel --flywheel-arn "$FLYWHEEL" \
  --query 'FlywheelProperties.{Status:Status,ModelType:ModelType,EntityTypes:TaskConfig.EntityRecognitionConfig.EntityTypes[].Type,DataLake:DataLakeS3Uri}'

step "4. A dataset of new training data"
DATASET=$(aws comprehend create-dataset --flywheel-arn "$FLYWHEEL" --dataset-name new-data --dataset-type TRAIN \
  --input-data-config "{\"DataFormat\": \"COMPREHEND_CSV\", \"EntityRecognizerInputDataConfig\": {
    \"Documents\": {\"S3Uri\": \"s3://$BUCKET/new-data/\", \"InputFormat\": \"ONE_DOC_PER_LINE\"},
    \"Annotations\": {\"S3Uri\": \"s3://$BUCKET/annotations/new-data.csv\"}}}" \
  --query DatasetArn --output text)
wait_for "new-data" aws comprehend describe-dataset --dataset-arn "$DATASET" --query DatasetProperties.Status --output text
aws comprehend describe-dataset --dataset-arn "$DATASET" \
  --query 'DatasetProperties.{Name:DatasetName,Type:DatasetType,Status:Status,Documents:NumberOfDocuments,Lake:DatasetS3Uri}'
aws comprehend list-datasets --flywheel-arn "$FLYWHEEL" --output table \
  --query 'DatasetPropertiesList[].{Name:DatasetName,Type:DatasetType,Status:Status,Documents:NumberOfDocuments}'

step "5. A flywheel iteration: evaluate the active version, train a new one"
ITERATION=$(aws comprehend start-flywheel-iteration --flywheel-arn "$FLYWHEEL" --query FlywheelIterationId --output text)
echo "iteration $ITERATION"
wait_for "iteration" aws comprehend describe-flywheel-iteration --flywheel-arn "$FLYWHEEL" --flywheel-iteration-id "$ITERATION" \
  --query FlywheelIterationProperties.Status --output text
aws comprehend describe-flywheel-iteration --flywheel-arn "$FLYWHEEL" --flywheel-iteration-id "$ITERATION" \
  --query 'FlywheelIterationProperties.{Message:Message,Evaluated:EvaluatedModelArn,EvaluatedMetrics:EvaluatedModelMetrics,Trained:TrainedModelArn,TrainedMetrics:TrainedModelMetrics}'
read -r BEFORE AFTER NEW_MODEL < <(aws comprehend describe-flywheel-iteration --flywheel-arn "$FLYWHEEL" \
  --flywheel-iteration-id "$ITERATION" --output text \
  --query 'FlywheelIterationProperties.[EvaluatedModelMetrics.AverageF1Score,TrainedModelMetrics.AverageF1Score,TrainedModelArn]')
echo "F1 on the held-out sentences of the active version: $BEFORE; of the new version: $AFTER"
python3 -c "import sys; sys.exit(0 if float('$AFTER') > float('$BEFORE') else 1)" \
  || { echo "the new version did not beat the active one" >&2; exit 1; }

step "6. Promote the new version"
aws comprehend update-flywheel --flywheel-arn "$FLYWHEEL" --active-model-arn "$NEW_MODEL" \
  --query 'FlywheelProperties.{Status:Status,ActiveModelArn:ActiveModelArn}'

step "7. Use it: an endpoint that follows the flywheel, and an async job"
ENDPOINT=$(aws comprehend create-endpoint --endpoint-name "$NAME-endpoint" --flywheel-arn "$FLYWHEEL" \
  --desired-inference-units 1 --query EndpointArn --output text)
wait_for "endpoint" aws comprehend describe-endpoint --endpoint-arn "$ENDPOINT" --query EndpointProperties.Status --output text
aws comprehend describe-endpoint --endpoint-arn "$ENDPOINT" --query 'EndpointProperties.{Model:ModelArn,Flywheel:FlywheelArn}'
aws comprehend detect-entities --endpoint-arn "$ENDPOINT" \
  --text "$(sed -n 1p "$DATA/inference.txt")" --output table \
  --query 'Entities[].{Text:Text,Type:Type,Begin:BeginOffset,End:EndOffset,Score:Score}'
JOB=$(aws comprehend start-entities-detection-job --job-name "$NAME-job" --flywheel-arn "$FLYWHEEL" \
  --language-code en --data-access-role-arn "$ROLE" \
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
echo "$OUTPUT holds one line per document, the mentions found:"
python3 - "$SCRATCH/output" <<'EOF'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    record = json.loads(line)
    found = "; ".join("%s (%s)" % (e["Text"], e["Type"]) for e in record["Entities"])
    print("line %d: %s" % (record["Line"], found or "-"))
EOF
rm -r "$SCRATCH"

step "8. Clean up"
aws comprehend delete-endpoint --endpoint-arn "$ENDPOINT"
for _ in $(seq 1 60); do
  aws comprehend describe-endpoint --endpoint-arn "$ENDPOINT" >/dev/null 2>&1 || break
  sleep 1
done
echo "endpoint deleted"
aws comprehend delete-flywheel --flywheel-arn "$FLYWHEEL"
echo "flywheel deleted"
for version in $(aws comprehend list-entity-recognizers --output text \
    --filter "RecognizerName=$NAME-recognizer" \
    --query 'EntityRecognizerPropertiesList[].EntityRecognizerArn'); do
  aws comprehend delete-entity-recognizer --entity-recognizer-arn "$version"
  echo "deleted $version"
done
echo
echo "Entity flywheel walkthrough complete: F1 went from $BEFORE to $AFTER with the flywheel's new data."
