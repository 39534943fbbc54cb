-- wrk script: POSTs AWS JSON 1.1 requests, cycling through prepared bodies.
-- Usage: wrk -s wrk-post.lua URL -- <target> <bodies file, one JSON body per line>
local bodies = {}
local counter = 0

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
  wrk.headers["X-Amz-Target"] = args[1]
  wrk.headers["Authorization"] =
    "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/comprehend/aws4_request, SignedHeaders=host, Signature=0"
  for line in io.lines(args[2]) do
    bodies[#bodies + 1] = line
  end
  counter = math.random(#bodies)
end

function request()
  counter = counter % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[counter])
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests))
end
