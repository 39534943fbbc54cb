#!/usr/bin/env bash
# Built-in analysis through the server: throughput and p50/p99 latency with wrk at 8
# connections for 1 KB texts (real sentences from wordnet10, PII inserted into the PII
# operations' texts), one row per operation.
#
# Usage: crates/server/benches/builtin.sh [path/to/shared/data]   (needs wrk — Debian: apt-get install wrk — and python3)
set -euo pipefail
cd "$(dirname "$0")/../../.."
DATA=${1:-../shared/data}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-1}   # wrk threads: on 2 cores, every wrk thread takes CPU from the server
BENCH=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$BENCH"' EXIT
LUA=crates/server/benches/wrk-post.lua

cargo build --release -p comprehend-local --bin comprehend-local >&2
PORT=4620
target/release/comprehend-local --bind 127.0.0.1:$PORT --data-dir "$BENCH/data" --log warn > "$BENCH/server.log" 2>&1 &
# Ready, and the built-in models built (the server builds them in the background at start).
for _ in $(seq 1 300); do curl -sf http://127.0.0.1:$PORT/health | grep -q '"builtinModels":"ready"' && break; sleep 0.1; done

python3 - "$DATA/wordnet10/test.csv" "$BENCH" <<'PY'
import csv, json, random, sys
rng = random.Random(7)
rows = [t for _, t in csv.reader(open(sys.argv[1], encoding="utf-8"))]
pii = ["Call Maria Lopez at (206) 555-0142.", "My card is 4111 1111 1111 1111.",
       "Mail john.smith@example.com today.", "SSN 078-05-1120 on file.",
       "Ship to 123 Main Street, Seattle, WA 98101.", "Server 192.168.10.24 is down."]
def text(limit, extra=()):
    parts, size = list(extra), sum(len(e) + 1 for e in extra)
    while True:
        s = rng.choice(rows)
        if size + len(s.encode()) + 1 > limit:
            break
        parts.append(s); size += len(s.encode()) + 1
    rng.shuffle(parts)
    return " ".join(parts)
out = lambda name, bodies: open(f"{sys.argv[2]}/{name}.jsonl", "w").write("".join(json.dumps(b) + "\n" for b in bodies))
out("DetectPiiEntities", [{"Text": text(1000, rng.sample(pii, 3)), "LanguageCode": "en"} for _ in range(500)])
out("ContainsPiiEntities", [{"Text": text(1000, rng.sample(pii, 3)), "LanguageCode": "en"} for _ in range(500)])
out("DetectSentiment", [{"Text": text(1000), "LanguageCode": "en"} for _ in range(500)])
out("DetectDominantLanguage", [{"Text": text(1000)} for _ in range(500)])
out("DetectToxicContent", [{"TextSegments": [{"Text": text(1000)}], "LanguageCode": "en"} for _ in range(500)])
out("BatchDetectSentiment", [{"TextList": [text(1000) for _ in range(25)], "LanguageCode": "en"} for _ in range(100)])
PY

echo "| operation (1 KB texts) | connections | result |"
echo "|---|---|---|"
for op in DetectPiiEntities ContainsPiiEntities DetectSentiment DetectDominantLanguage DetectToxicContent BatchDetectSentiment; do
  line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$LUA" http://127.0.0.1:$PORT/ -- "Comprehend_20171127.$op" "$BENCH/$op.jsonl" | grep '^RESULT')
  echo "| $op | $CONNECTIONS | ${line#RESULT } |"
done
