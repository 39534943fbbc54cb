-- wrk script: POSTs Comprehend requests, cycling through prepared bodies.
-- Usage: wrk -s wrk-post.lua URL -- <operation target> <bodies file> [cbor]
--   AWS JSON 1.1 (default): the target is "Comprehend_20171127.<Operation>" and the file
--     holds one JSON body per line.
--   Smithy RPC v2 CBOR ("cbor"): the target is "<Operation>", sent to
--     /service/Comprehend_20171127/operation/<Operation>, and the file holds one CBOR body
--     per line in hex (CBOR is binary, so it cannot be split on newlines).
local bodies = {}
local counter = 0
local path = "/"

local function unhex(line)
  return (line:gsub("..", function(byte) return string.char(tonumber(byte, 16)) end))
end

function init(args)
  local cbor = args[3] == "cbor"
  wrk.method = "POST"
  if cbor then
    path = "/service/Comprehend_20171127/operation/" .. args[1]
    wrk.headers["Content-Type"] = "application/cbor"
    wrk.headers["Accept"] = "application/cbor"
    wrk.headers["Smithy-Protocol"] = "rpc-v2-cbor"
  else
    wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
    wrk.headers["X-Amz-Target"] = args[1]
  end
  wrk.headers["Authorization"] =
    "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/comprehend/aws4_request, SignedHeaders=host, Signature=0"
  for line in io.lines(args[2]) do
    bodies[#bodies + 1] = cbor and unhex(line) or line
  end
  counter = math.random(#bodies)
end

function request()
  counter = counter % #bodies + 1
  return wrk.format(nil, path, nil, bodies[counter])
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests))
end
