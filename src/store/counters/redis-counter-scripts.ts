/*
 * Lua scripts for the Redis counters. Each runs atomically in Redis, so instances sharing one
 * Redis never interleave inside a check-and-take. Time comes from Redis (TIME), not from the
 * instances' clocks. Amounts are integers (nano-USD); TATs are milliseconds with fractions.
 *
 * Keys per budget counter: a hash {spent, reserved} and a sorted set of open reservations
 * ("<request id>|<amount>", scored by expiry). Per rate counter: one string (the TAT).
 * Per admitted request: an in-flight marker; settling deletes it, so it counts once.
 */

const NOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;

/** Release reservations past their expiry; returns nothing. Expects h, z, now. */
const RELEASE_EXPIRED = `
local function release(h, z, now)
  local expired = redis.call('ZRANGEBYSCORE', z, '-inf', now)
  if #expired == 0 then return end
  local amount = 0
  for _, member in ipairs(expired) do
    amount = amount + (tonumber(string.match(member, '|(%d+)$')) or 0)
  end
  redis.call('ZREMRANGEBYSCORE', z, '-inf', now)
  redis.call('HINCRBY', h, 'reserved', string.format('%d', -amount))
end
`;

/**
 * KEYS: marker, then (hash, zset) per budget, then one TAT key per rate.
 * ARGV: nb, nr, request id, reservation ttl ms, marker ttl ms,
 *       then (limit, amount, expire-at ms or 0) per budget,
 *       then (limit, period ms, cost, lenient 0/1) per rate.
 * Returns {0 admitted | 1 refused | 2 needs seed, refused kind (1 budget, 2 rate), refused index,
 *          retry ms, then (spent, reserved) per budget, then (remaining, reset ms) per rate}
 *          or {2, missing budget indexes...}.
 */
export const ADMIT_SCRIPT = `${NOW}${RELEASE_EXPIRED}
local nb = tonumber(ARGV[1])
local nr = tonumber(ARGV[2])
local rid = ARGV[3]
local ttl = tonumber(ARGV[4])
local markerTtl = tonumber(ARGV[5])
local missing = {2}
for i = 1, nb do
  if redis.call('EXISTS', KEYS[2 * i]) == 0 then missing[#missing + 1] = i end
end
if #missing > 1 then return missing end

local refusedKind, refusedIndex, retry = 0, 0, 0
local spent, reserved = {}, {}
for i = 1, nb do
  local h, z = KEYS[2 * i], KEYS[2 * i + 1]
  local limit = tonumber(ARGV[5 + (i - 1) * 3 + 1])
  release(h, z, now)
  spent[i] = tonumber(redis.call('HGET', h, 'spent') or '0')
  reserved[i] = tonumber(redis.call('HGET', h, 'reserved') or '0')
  if refusedKind == 0 and spent[i] + reserved[i] >= limit then refusedKind, refusedIndex = 1, i end
end

local rbase = 5 + nb * 3
local bases, nexts = {}, {}
for j = 1, nr do
  local a = rbase + (j - 1) * 4
  local limit, period, cost = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local lenient = ARGV[a + 4] == '1'
  local interval = period / limit
  local tat = tonumber(redis.call('GET', KEYS[1 + 2 * nb + j]) or now)
  local base = math.max(tat, now)
  local nxt = base + cost * interval
  bases[j], nexts[j] = base, nxt
  local allowed
  if lenient then allowed = (base - now) < period - 0.000001 else allowed = (nxt - now) <= period + 0.000001 end
  if refusedKind == 0 and not allowed then
    refusedKind, refusedIndex = 2, j
    if lenient then retry = base - now - period + 1 else retry = nxt - period - now end
  end
end

local out = {0, refusedKind, refusedIndex, math.ceil(retry)}
if refusedKind ~= 0 then out[1] = 1 end
if refusedKind == 0 then
  redis.call('SET', KEYS[1], '1', 'PX', markerTtl)
  for i = 1, nb do
    local b = 5 + (i - 1) * 3
    local amountText, expireAt = ARGV[b + 2], tonumber(ARGV[b + 3])
    local amount = tonumber(amountText)
    local h, z = KEYS[2 * i], KEYS[2 * i + 1]
    redis.call('HINCRBY', h, 'reserved', amountText)
    redis.call('ZADD', z, now + ttl, rid .. '|' .. amountText)
    if expireAt > 0 then
      redis.call('PEXPIREAT', h, expireAt)
      redis.call('PEXPIREAT', z, expireAt)
    end
    reserved[i] = reserved[i] + amount
  end
end
for i = 1, nb do
  out[#out + 1] = spent[i]
  out[#out + 1] = reserved[i]
end
for j = 1, nr do
  local a = rbase + (j - 1) * 4
  local limit, period = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  local interval = period / limit
  local tat = bases[j]
  if refusedKind == 0 then
    tat = nexts[j]
    redis.call('SET', KEYS[1 + 2 * nb + j], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1000)
  end
  out[#out + 1] = math.max(0, math.floor((period - (tat - now)) / interval + 0.000001))
  out[#out + 1] = math.max(0, math.ceil(tat - now))
end
return out
`;

/**
 * KEYS: marker, then (hash, zset) per budget, then one TAT key per rate.
 * ARGV: nb, nr, request id, then (reserved, actual) per budget, then (limit, period ms, delta) per rate.
 * Returns 1 when applied, 0 when the request was settled before (or is unknown).
 */
export const SETTLE_SCRIPT = `${NOW}
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
local nb = tonumber(ARGV[1])
local nr = tonumber(ARGV[2])
local rid = ARGV[3]
for i = 1, nb do
  local h, z = KEYS[2 * i], KEYS[2 * i + 1]
  local reservedAmount, actual = ARGV[3 + (i - 1) * 2 + 1], tonumber(ARGV[3 + (i - 1) * 2 + 2])
  if redis.call('EXISTS', h) == 1 then
    if redis.call('ZREM', z, rid .. '|' .. reservedAmount) == 1 then
      redis.call('HINCRBY', h, 'reserved', string.format('%d', -tonumber(reservedAmount)))
    end
    if actual > 0 then redis.call('HINCRBY', h, 'spent', string.format('%d', actual)) end
  end
end
local rbase = 3 + nb * 2
for j = 1, nr do
  local a = rbase + (j - 1) * 3
  local limit, period, delta = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local interval = period / limit
  local key = KEYS[1 + 2 * nb + j]
  local tat = tonumber(redis.call('GET', key) or '')
  local nxt = nil
  if delta >= 0 then
    nxt = math.max(tat or now, now) + delta * interval
  elseif tat ~= nil and tat > now then
    nxt = math.max(now, tat + delta * interval)
  end
  if nxt ~= nil then
    if nxt <= now then redis.call('DEL', key)
    else redis.call('SET', key, string.format('%.3f', nxt), 'PX', math.ceil(nxt - now) + 1000) end
  end
end
return 1
`;

/**
 * KEYS: (hash, zset) per budget, then one TAT key per rate. ARGV: nb, nr, then (limit, period ms) per rate.
 * Returns {2, missing...} or {0, (spent, reserved) per budget, (remaining, reset ms) per rate}.
 */
export const INSPECT_SCRIPT = `${NOW}${RELEASE_EXPIRED}
local nb = tonumber(ARGV[1])
local nr = tonumber(ARGV[2])
local missing = {2}
for i = 1, nb do
  if redis.call('EXISTS', KEYS[2 * i - 1]) == 0 then missing[#missing + 1] = i end
end
if #missing > 1 then return missing end
local out = {0}
for i = 1, nb do
  local h, z = KEYS[2 * i - 1], KEYS[2 * i]
  release(h, z, now)
  out[#out + 1] = tonumber(redis.call('HGET', h, 'spent') or '0')
  out[#out + 1] = tonumber(redis.call('HGET', h, 'reserved') or '0')
end
for j = 1, nr do
  local limit, period = tonumber(ARGV[2 + (j - 1) * 2 + 1]), tonumber(ARGV[2 + (j - 1) * 2 + 2])
  local interval = period / limit
  local tat = math.max(tonumber(redis.call('GET', KEYS[2 * nb + j]) or now), now)
  out[#out + 1] = math.max(0, math.floor((period - (tat - now)) / interval + 0.000001))
  out[#out + 1] = math.max(0, math.ceil(tat - now))
end
return out
`;

/**
 * Start a budget counter from the ledger, unless another instance already did.
 * KEYS: hash. ARGV: spent, expire-at ms or 0. Returns 1 when it created the counter.
 */
export const SEED_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'spent', ARGV[1], 'reserved', 0)
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIREAT', KEYS[1], tonumber(ARGV[2])) end
return 1
`;

/**
 * After an outage, raise a counter to at least the ledger's figure (spend that was admitted
 * unmetered). KEYS: hash. ARGV: ledger spent.
 */
export const RECONCILE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local spent = tonumber(redis.call('HGET', KEYS[1], 'spent') or '0')
if spent < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'spent', ARGV[1])
  return 1
end
return 0
`;
