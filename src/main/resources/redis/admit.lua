-- Admits one call of a virtual key, atomically; see RedisUsageLimiter.
-- KEYS: [1] request log (zset: request id -> ms), [2] token buckets (hash: second -> tokens),
--       [3] reservations (zset: "id|usd" -> expiry ms), [4..] spend of each budget's period (float).
-- ARGV: [1] rpm (0 = none), [2] tpm (0 = none), [3] request id, [4] usd to reserve,
--       [5] reservation ttl ms, then per budget: limit usd, seed usd (the database's figure), ttl ms.
-- Returns {0} admitted, {1, retry s} over rpm, {2, retry s} over tpm, {3, budget index} over a budget.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local sec = tonumber(t[1])
local rpm, tpm = tonumber(ARGV[1]), tonumber(ARGV[2])
local budgets = #KEYS - 3

if budgets > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  local reserved = 0
  for _, m in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
    reserved = reserved + tonumber(string.match(m, '|(.+)$'))
  end
  for i = 1, budgets do
    local a = 6 + (i - 1) * 3
    redis.call('SET', KEYS[3 + i], ARGV[a + 1], 'NX', 'PX', ARGV[a + 2])
    if tonumber(redis.call('GET', KEYS[3 + i])) + reserved >= tonumber(ARGV[a]) then return {3, i} end
  end
end

if tpm > 0 then
  local h = redis.call('HGETALL', KEYS[2])
  local sum, oldest = 0, sec
  for j = 1, #h, 2 do
    local s = tonumber(h[j])
    if s <= sec - 60 then
      redis.call('HDEL', KEYS[2], h[j])
    else
      sum = sum + tonumber(h[j + 1])
      if s < oldest then oldest = s end
    end
  end
  if sum >= tpm then return {2, oldest + 60 - sec} end
end

if rpm > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000)
  if redis.call('ZCARD', KEYS[1]) >= rpm then
    local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return {1, math.ceil((tonumber(first[2]) + 60000 - now) / 1000)}
  end
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], 60000)
end

if budgets > 0 and tonumber(ARGV[4]) > 0 then
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[5]), ARGV[3] .. '|' .. ARGV[4])
  redis.call('PEXPIRE', KEYS[3], ARGV[5])
end
return {0}
