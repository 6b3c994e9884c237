-- wrk script: one small OpenAI chat request per call. BENCH_STREAM=true asks for a stream.
local stream = os.getenv("BENCH_STREAM") == "true"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_KEY") or "jk-bench")
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a terse assistant."},'
  .. '{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":32,"temperature":0,'
  .. '"stream":' .. tostring(stream) .. '}'
