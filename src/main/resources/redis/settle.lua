-- Settles one admitted call of a virtual key; see RedisUsageLimiter.
-- KEYS: [1] token buckets (hash), [2] reservations (zset), [3..] spend of each budget's period.
-- ARGV: [1] tokens used, [2] reservation member ("" = none), [3] usd spent,
--       then per budget: seed usd (the database's figure), ttl ms.
local sec = tonumber(redis.call('TIME')[1])
local tokens = tonumber(ARGV[1])
if tokens > 0 then
  redis.call('HINCRBY', KEYS[1], sec, tokens)
  redis.call('PEXPIRE', KEYS[1], 61000)
end
if ARGV[2] ~= '' then redis.call('ZREM', KEYS[2], ARGV[2]) end
local cost = tonumber(ARGV[3])
for i = 3, #KEYS do
  local a = 4 + (i - 3) * 2
  redis.call('SET', KEYS[i], ARGV[a], 'NX', 'PX', ARGV[a + 1])
  if cost > 0 then redis.call('INCRBYFLOAT', KEYS[i], cost) end
  redis.call('PEXPIRE', KEYS[i], ARGV[a + 1])
end
return 0
