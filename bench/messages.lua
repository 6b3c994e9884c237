-- wrk script: one small Anthropic Messages request per call. BENCH_STREAM=true asks for a stream.
local stream = os.getenv("BENCH_STREAM") == "true"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-api-key"] = os.getenv("BENCH_KEY") or "jk-bench"
wrk.headers["anthropic-version"] = "2023-06-01"
wrk.body = '{"model":"claude-sonnet-4-5","max_tokens":32,"system":"You are a terse assistant.",'
  .. '"messages":[{"role":"user","content":"Say hello in one short sentence."}],"temperature":0,'
  .. '"stream":' .. tostring(stream) .. '}'
