#!/usr/bin/env bash
# Protocol benchmark (issue #12): ClassifyDocument over AWS JSON 1.1 and over Smithy RPC v2
# CBOR, in the same run against the same IN_SERVICE endpoint (a model trained on
# wordnet10/complete.csv), with the same real test sentences as bodies. The two protocols
# alternate, ROUNDS times at each connection count, so that drift on a shared machine hits
# both alike.
#
# Usage: crates/server/benches/protocols.sh [path/to/shared/data]   (needs wrk, aws, python3)
set -euo pipefail
cd "$(dirname "$0")/../../.."
DATA=${1:-../shared/data}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
BENCH=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$BENCH"' EXIT
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
ROLE=arn:aws:iam::111122223333:role/Bench
LUA=crates/server/benches/wrk-post.lua

cargo build --release -p comprehend-local --bin comprehend-local >&2
PORT=4612
URL=http://127.0.0.1:$PORT
target/release/comprehend-local --bind 127.0.0.1:$PORT --data-dir "$BENCH/data" --log warn > "$BENCH/server.log" 2>&1 &
for _ in $(seq 1 100); do curl -sf $URL/health >/dev/null && break; sleep 0.1; done
cl() { aws --endpoint-url $URL "$@"; }
cl s3 mb s3://bench-data >/dev/null
cl s3 cp "$DATA/wordnet10/complete.csv" s3://bench-data/complete.csv >/dev/null
MODEL=$(cl comprehend create-document-classifier --document-classifier-name bench --data-access-role-arn $ROLE \
  --input-data-config S3Uri=s3://bench-data/complete.csv --language-code en --query DocumentClassifierArn --output text)
until [ "$(cl comprehend describe-document-classifier --document-classifier-arn "$MODEL" --query DocumentClassifierProperties.Status --output text)" = TRAINED ]; do sleep 0.5; done
ENDPOINT=$(cl comprehend create-endpoint --endpoint-name bench --model-arn "$MODEL" --desired-inference-units 1 --query EndpointArn --output text)
until [ "$(cl comprehend describe-endpoint --endpoint-arn "$ENDPOINT" --query EndpointProperties.Status --output text)" = IN_SERVICE ]; do sleep 0.2; done

# The same requests in both encodings: JSON lines, and CBOR maps as hex lines. A map of two
# text strings is all a ClassifyDocument body holds, so the few CBOR heads are written here
# rather than adding a CBOR package to the benchmark's requirements.
python3 - "$DATA/wordnet10/test.csv" "$ENDPOINT" "$BENCH/classify.jsonl" "$BENCH/classify.cbor.hex" "$BENCH/one.cbor" <<'PY'
import csv, json, sys
def head(major, n):
    if n < 24: return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4)):
        if n < 1 << (8 * size): return bytes([major << 5 | info]) + n.to_bytes(size, "big")
def text(s):
    b = s.encode("utf-8")
    return head(3, len(b)) + b
first = True
with open(sys.argv[3], "w") as js, open(sys.argv[4], "w") as cb:
    for label, doc in csv.reader(open(sys.argv[1], encoding="utf-8")):
        js.write(json.dumps({"EndpointArn": sys.argv[2], "Text": doc}) + "\n")
        body = head(5, 2) + text("EndpointArn") + text(sys.argv[2]) + text("Text") + text(doc)
        cb.write(body.hex() + "\n")
        if first:
            open(sys.argv[5], "wb").write(body)
            first = False
PY

# Both encodings must get the same answer before anything is timed.
one_json=$(head -1 "$BENCH/classify.jsonl")
curl -sf -o /dev/null -H 'Content-Type: application/x-amz-json-1.1' \
  -H 'X-Amz-Target: Comprehend_20171127.ClassifyDocument' --data-binary "$one_json" $URL/
curl -sf -o /dev/null -w '%{content_type}' -H 'Content-Type: application/cbor' -H 'Accept: application/cbor' \
  -H 'Smithy-Protocol: rpc-v2-cbor' --data-binary @"$BENCH/one.cbor" \
  $URL/service/Comprehend_20171127/operation/ClassifyDocument | grep -q '^application/cbor$'

run() { # protocol connections
  local line
  if [ "$1" = cbor ]; then
    line=$(wrk -t2 -c"$2" -d"$DURATION" --latency -s "$LUA" $URL -- ClassifyDocument "$BENCH/classify.cbor.hex" cbor | grep '^RESULT')
  else
    line=$(wrk -t2 -c"$2" -d"$DURATION" --latency -s "$LUA" $URL -- Comprehend_20171127.ClassifyDocument "$BENCH/classify.jsonl" | grep '^RESULT')
  fi
  echo "| $1 | $2 | ${line#RESULT }"
}
echo "| protocol | connections | result |"
echo "|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
  for c in 8 64; do
    run json $c
    run cbor $c
  done
done
