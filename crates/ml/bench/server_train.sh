#!/usr/bin/env bash
# Training through the server: CreateDocumentClassifier → TRAINED on TRAIN.csv, evaluated on
# TEST.csv (TestS3Uri, so the macro F1 is on the same held-out file as the other engines').
#
#   crates/ml/bench/server_train.sh SERVER_BINARY TRAIN.csv TEST.csv > run.json
#
# Starts a fresh server (data directory in a temporary folder, log level info), uploads both
# files to the built-in S3, creates the classifier and waits for TRAINED. The time is the
# server's own: SubmitTime → EndTime from DescribeDocumentClassifier, so the client's polling
# does not count. Prints one JSON object (times, macro F1, the server's peak RSS) and the
# job's "phase done" log lines under "phases". Needs the AWS CLI (AWS_CLI, default `aws`).
set -euo pipefail
server=$1 train=$2 test=$3
aws_cli=${AWS_CLI:-aws}
port=${PORT:-4620}
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
"$server" --bind 127.0.0.1:"$port" --data-dir "$dir/data" --log info > "$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.1; done
cl() { "$aws_cli" --endpoint-url "http://127.0.0.1:$port" "$@"; }
cl s3 mb s3://bench > /dev/null
cl s3 cp "$train" s3://bench/train.csv > /dev/null
cl s3 cp "$test" s3://bench/test.csv > /dev/null
model=$(cl comprehend create-document-classifier --document-classifier-name bench \
    --data-access-role-arn arn:aws:iam::111122223333:role/Bench --language-code en \
    --input-data-config S3Uri=s3://bench/train.csv,TestS3Uri=s3://bench/test.csv \
    --output-data-config S3Uri=s3://bench/output/ --query DocumentClassifierArn --output text)
describe() { cl comprehend describe-document-classifier --document-classifier-arn "$model" "$@"; }
# Polled with curl, not the AWS CLI: each CLI start costs about half a second of CPU, which
# on two cores slowed the training it was waiting for.
while :; do
    status=$(curl -s "http://127.0.0.1:$port/" -H 'Content-Type: application/x-amz-json-1.1' \
        -H 'X-Amz-Target: Comprehend_20171127.DescribeDocumentClassifier' \
        -d "{\"DocumentClassifierArn\": \"$model\"}" | grep -o '"Status":"[A-Z_]*"' | cut -d'"' -f4)
    case $status in TRAINED | TRAINED_WITH_WARNING | IN_ERROR | STOPPED) break ;; esac
    sleep 0.2
done
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
describe --output json > "$dir/describe.json"
python3 - "$dir/describe.json" "$dir/server.log" "$peak_kb" "$status" <<'PY'
import json, re, sys
p = json.load(open(sys.argv[1]))["DocumentClassifierProperties"]
m = p.get("ClassifierMetadata", {}).get("EvaluationMetrics", {})
ansi = re.compile(r"\x1b\[[0-9;]*m")
phases = [ansi.sub("", l).split("phase done phase=", 1)[1].strip()
          for l in open(sys.argv[2]) if "phase done" in l]
print(json.dumps({
    "status": sys.argv[4],
    "t_create_to_trained_s": round(p["EndTime"] - p["SubmitTime"], 3),
    "t_training_s": round(p["TrainingEndTime"] - p["TrainingStartTime"], 3),
    "macro_f1": m.get("F1Score"), "accuracy": m.get("Accuracy"),
    "peak_rss_mb": round(int(sys.argv[3]) / 1024, 1),
    "phases": phases,
}, indent=1))
PY
