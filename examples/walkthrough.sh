#!/usr/bin/env bash
# The Comprehend flywheel walkthrough with the AWS CLI, against comprehend-local.
#
# Start the server first (`cargo run --release`), then run: examples/walkthrough.sh
# It trains a classifier on a little data, builds a flywheel around it, feeds the
# flywheel more data, lets an iteration train and evaluate a new version, promotes the
# better one, serves it through an endpoint and an async job, and cleans up.
#
# Settings: ENDPOINT_URL (default http://127.0.0.1:4599), PREFIX (name prefix, default
# walkthrough), RUN (a suffix for this run's resource names, default the time), KEEP=1
# (skip the clean-up, to look at the results in the console at $ENDPOINT_URL/console).
# It runs any number of times against one server: buckets are reused, and the
# classifier, flywheel, endpoint and job of each run get names of their own.
set -euo pipefail

ENDPOINT_URL=${ENDPOINT_URL:-http://127.0.0.1:4599}
PREFIX=${PREFIX:-walkthrough}
DATA=$(cd "$(dirname "$0")/data" && pwd)
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} AWS_PAGER=""
ROLE=arn:aws:iam::111122223333:role/ComprehendDataAccess
RUN=${RUN:-$(date +%Y%m%d%H%M%S)}
NAME=$PREFIX-$RUN
BUCKET=$PREFIX-data
LAKE=$PREFIX-lake

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

step "2. Buckets and data"
for bucket in "$BUCKET" "$LAKE"; do
  aws s3api head-bucket --bucket "$bucket" 2>/dev/null || aws s3 mb "s3://$bucket"
done
aws s3 cp "$DATA/initial.csv" "s3://$BUCKET/initial/initial.csv"
aws s3 cp "$DATA/new-data.csv" "s3://$BUCKET/new-data/new-data.csv"
aws s3 cp "$DATA/test.csv" "s3://$BUCKET/test/test.csv"
aws s3 cp "$DATA/inference.txt" "s3://$BUCKET/inference/documents.txt"

step "3. A classifier trained on the initial data"
MODEL=$(aws comprehend create-document-classifier \
  --document-classifier-name "$NAME-classifier" \
  --version-name v1 \
  --data-access-role-arn "$ROLE" \
  --input-data-config "S3Uri=s3://$BUCKET/initial/" \
  --output-data-config "S3Uri=s3://$BUCKET/training-output/" \
  --language-code en \
  --query DocumentClassifierArn --output text)
echo "$MODEL"
wait_for "classifier" aws comprehend describe-document-classifier --document-classifier-arn "$MODEL" \
  --query DocumentClassifierProperties.Status --output text
aws comprehend describe-document-classifier --document-classifier-arn "$MODEL" \
  --query 'DocumentClassifierProperties.{Status:Status,Metadata:ClassifierMetadata,Output:OutputDataConfig.S3Uri}'

step "4. A flywheel around the trained model"
FLYWHEEL=$(aws comprehend create-flywheel \
  --flywheel-name "$NAME-flywheel" \
  --active-model-arn "$MODEL" \
  --data-access-role-arn "$ROLE" \
  --data-lake-s3-uri "s3://$LAKE/flywheels" \
  --query FlywheelArn --output text)
echo "$FLYWHEEL"
wait_for "flywheel" aws comprehend describe-flywheel --flywheel-arn "$FLYWHEEL" --query FlywheelProperties.Status --output text
aws comprehend describe-flywheel --flywheel-arn "$FLYWHEEL" --query 'FlywheelProperties.{Status:Status,DataLake:DataLakeS3Uri}'

step "5. Datasets: new training data and held-out test data"
TRAIN_SET=$(aws comprehend create-dataset --flywheel-arn "$FLYWHEEL" --dataset-name new-data --dataset-type TRAIN \
  --input-data-config "{\"DataFormat\":\"COMPREHEND_CSV\",\"DocumentClassifierInputDataConfig\":{\"S3Uri\":\"s3://$BUCKET/new-data/\"}}" \
  --query DatasetArn --output text)
TEST_SET=$(aws comprehend create-dataset --flywheel-arn "$FLYWHEEL" --dataset-name held-out --dataset-type TEST \
  --input-data-config "{\"DataFormat\":\"COMPREHEND_CSV\",\"DocumentClassifierInputDataConfig\":{\"S3Uri\":\"s3://$BUCKET/test/\"}}" \
  --query DatasetArn --output text)
wait_for "new-data" aws comprehend describe-dataset --dataset-arn "$TRAIN_SET" --query DatasetProperties.Status --output text
wait_for "held-out" aws comprehend describe-dataset --dataset-arn "$TEST_SET" --query DatasetProperties.Status --output text
aws comprehend list-datasets --flywheel-arn "$FLYWHEEL" --output table \
  --query 'DatasetPropertiesList[].{Name:DatasetName,Type:DatasetType,Status:Status,Documents:NumberOfDocuments}'

step "6. A flywheel iteration: evaluate the active version, train a new one"
ITERATION=$(aws comprehend start-flywheel-iteration --flywheel-arn "$FLYWHEEL" --query FlywheelIterationId --output text)
echo "iteration $ITERATION"
wait_for "iteration" aws comprehend describe-flywheel-iteration --flywheel-arn "$FLYWHEEL" --flywheel-iteration-id "$ITERATION" \
  --query FlywheelIterationProperties.Status --output text
aws comprehend describe-flywheel-iteration --flywheel-arn "$FLYWHEEL" --flywheel-iteration-id "$ITERATION" \
  --query 'FlywheelIterationProperties.{Message:Message,Evaluated:EvaluatedModelArn,EvaluatedMetrics:EvaluatedModelMetrics,Trained:TrainedModelArn,TrainedMetrics:TrainedModelMetrics}'
read -r BEFORE AFTER NEW_MODEL < <(aws comprehend describe-flywheel-iteration --flywheel-arn "$FLYWHEEL" \
  --flywheel-iteration-id "$ITERATION" --output text \
  --query 'FlywheelIterationProperties.[EvaluatedModelMetrics.AverageF1Score,TrainedModelMetrics.AverageF1Score,TrainedModelArn]')
echo "F1 of the active version: $BEFORE; of the new version: $AFTER"
python3 -c "import sys; sys.exit(0 if float('$AFTER') > float('$BEFORE') else 1)" \
  || { echo "the new version did not beat the active one" >&2; exit 1; }

step "7. Promote the new version"
aws comprehend update-flywheel --flywheel-arn "$FLYWHEEL" --active-model-arn "$NEW_MODEL" \
  --query 'FlywheelProperties.{Status:Status,ActiveModelArn:ActiveModelArn}'

step "8. Use it: an endpoint that follows the flywheel, and an async job"
ENDPOINT=$(aws comprehend create-endpoint --endpoint-name "$NAME-endpoint" --flywheel-arn "$FLYWHEEL" \
  --desired-inference-units 1 --query EndpointArn --output text)
wait_for "endpoint" aws comprehend describe-endpoint --endpoint-arn "$ENDPOINT" --query EndpointProperties.Status --output text
aws comprehend classify-document --endpoint-arn "$ENDPOINT" --text "a large bird of prey with a hooked beak" \
  --query 'Classes[:3]'
JOB=$(aws comprehend start-document-classification-job --job-name "$NAME-job" --flywheel-arn "$FLYWHEEL" \
  --data-access-role-arn "$ROLE" \
  --input-data-config "S3Uri=s3://$BUCKET/inference/,InputFormat=ONE_DOC_PER_LINE" \
  --output-data-config "S3Uri=s3://$BUCKET/inference-output/" \
  --query JobId --output text)
wait_for "classification job" aws comprehend describe-document-classification-job --job-id "$JOB" \
  --query DocumentClassificationJobProperties.JobStatus --output text
OUTPUT=$(aws comprehend describe-document-classification-job --job-id "$JOB" \
  --query DocumentClassificationJobProperties.OutputDataConfig.S3Uri --output text)
SCRATCH=$(mktemp -d)
aws s3 cp "$OUTPUT" "$SCRATCH/output.tar.gz" >/dev/null
tar -xzf "$SCRATCH/output.tar.gz" -C "$SCRATCH"
echo "$(wc -l < "$SCRATCH/predictions.jsonl") predictions in $OUTPUT, the first two:"
sed -n '1,2p' "$SCRATCH/predictions.jsonl"
rm -r "$SCRATCH"

if [ -n "${KEEP:-}" ]; then
  echo
  echo "Kept everything (KEEP=1): see it at $ENDPOINT_URL/console"
  echo "Walkthrough complete: F1 went from $BEFORE to $AFTER with the flywheel's new data."
  exit 0
fi
step "9. Clean up"
aws comprehend delete-endpoint --endpoint-arn "$ENDPOINT"
for _ in $(seq 1 60); do
  aws comprehend describe-endpoint --endpoint-arn "$ENDPOINT" >/dev/null 2>&1 || break
  sleep 1
done
echo "endpoint deleted"
aws comprehend delete-flywheel --flywheel-arn "$FLYWHEEL"
for version in $(aws comprehend list-document-classifiers --output text \
    --filter "DocumentClassifierName=$NAME-classifier" \
    --query 'DocumentClassifierPropertiesList[].DocumentClassifierArn'); do
  aws comprehend delete-document-classifier --document-classifier-arn "$version"
  echo "deleted $version"
done
echo
echo "Walkthrough complete: F1 went from $BEFORE to $AFTER with the flywheel's new data."
