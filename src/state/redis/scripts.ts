import { COMMAND_TIMEOUT_MS } from './connection.js';

/**
 * The Lua scripts that make each step on the shared state atomic: Redis runs a script whole, with
 * no other client's command in between, so concurrent replicas each see their own figures.
 * Time is never Redis's own: the mock's clock (which tests and the control plane move) is passed in.
 */

/**
 * One usage step on one key: 'read', 'admit' (the rate-limit window, when a limit is given, then
 * one more call on every counter) or 'set' (some counters given, the others counting on).
 * KEYS: the key's counters (hash: v:<name> value, s:<name> start of its period), the periods in
 * force at the last reset (hash: period → start), the key's rate-limit window (hash: start, count).
 * ARGV: mode, now, limit ('' for none), windowMs, n, then n × (name, start of its period now,
 * period, seeded figure, value to set or ''), then the time setting `now` was read under, then the
 * deadline (Redis's time, ms) after which the step is not taken, its caller having answered 503 by then.
 * Answers: allowed (0/1), whether a window applied (0/1), remaining, ms until the window ends,
 * then each counter's value; or false past the deadline, nothing written.
 */
export const USAGE_STEP = `
if ARGV[#ARGV] ~= '' then
  local t = redis.call('TIME')
  if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[#ARGV]) then return false end
end
local mode = ARGV[1]
local now = tonumber(ARGV[2])
local n = tonumber(ARGV[5])
local result = {1, 0, 0, 0}
if mode == 'admit' and ARGV[3] ~= '' then
  local limit = tonumber(ARGV[3])
  local windowMs = tonumber(ARGV[4])
  local setting = ARGV[#ARGV - 1]
  local w = redis.call('HMGET', KEYS[3], 'start', 'count', 'setting')
  local start = tonumber(w[1])
  local count = tonumber(w[2])
  -- the rule of FixedWindowLimiter (windowOver): a window that starts after now (the mock's time
  -- moved back) is over. Within one time setting, a step up to a timeout behind its window's start
  -- is not: replicas read the time as they send their steps, which reach Redis out of that order by
  -- a few milliseconds (ending the window then let 252 of 600 calls through a limit of 250).
  local movedBack = start ~= nil and now < start and (w[3] ~= setting or start - now > ${COMMAND_TIMEOUT_MS})
  if start == nil or movedBack or now - start >= windowMs then
    start = now
    count = 0
  end
  local allowed = count < limit
  if allowed then count = count + 1 end
  redis.call('HSET', KEYS[3], 'start', string.format('%d', start), 'count', count, 'setting', setting)
  -- a day past its end: idle windows leave Redis, and a window is never cut short
  redis.call('PEXPIRE', KEYS[3], windowMs + 86400000)
  result = {allowed and 1 or 0, 1, limit - count, start + windowMs - now}
  if not allowed then mode = 'read' end
end
local exists = redis.call('EXISTS', KEYS[1]) == 1
local writes = {}
for i = 0, n - 1 do
  local base = 6 + i * 5
  local name = ARGV[base]
  local current = ARGV[base + 1]
  local value
  if exists then
    local stored = redis.call('HMGET', KEYS[1], 'v:' .. name, 's:' .. name)
    if stored[2] == current then value = tonumber(stored[1]) or 0 else value = 0 end
  else
    -- the periods of the last reset; none when Redis lost its data since: the seeded figures then
    local since = redis.call('HGET', KEYS[2], ARGV[base + 2])
    if since == false or since == current then value = tonumber(ARGV[base + 3]) else value = 0 end
  end
  if mode == 'admit' then value = value + 1 end
  if mode == 'set' and ARGV[base + 4] ~= '' then value = tonumber(ARGV[base + 4]) end
  result[#result + 1] = value
  if mode ~= 'read' then
    writes[#writes + 1] = 'v:' .. name
    writes[#writes + 1] = string.format('%d', value)
    writes[#writes + 1] = 's:' .. name
    writes[#writes + 1] = current
  end
end
if #writes > 0 then redis.call('HSET', KEYS[1], unpack(writes)) end
return result
`;

/**
 * Joins a group of replicas, or starts one: the first replica's seed and user count are kept, and
 * the periods in force now become the ones seeded figures hold for.
 * KEYS: the group (hash: seed, users), the seeded periods (hash). ARGV: seed, users, then period
 * and start pairs. Answers the group's seed and users.
 */
export const JOIN = `
redis.call('HSETNX', KEYS[1], 'seed', ARGV[1])
redis.call('HSETNX', KEYS[1], 'users', ARGV[2])
if redis.call('EXISTS', KEYS[2]) == 0 then
  for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
end
return redis.call('HMGET', KEYS[1], 'seed', 'users')
`;

/**
 * Adds a fault: its spec as given, with an id first, and apart what a call is matched against (a
 * few fields, so that matching never decodes a fault's body, which may be large); its hits are
 * kept apart too, so that taking a step never writes the fault again. KEYS: faults (hash id →
 * JSON), their matchers (hash id → JSON), the last id. ARGV: the spec as JSON, its matcher as JSON.
 * Answers the id.
 */
export const ADD_FAULT = `
local id = 'fault-' .. redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[1], id, '{"id":"' .. id .. '",' .. string.sub(ARGV[1], 2))
redis.call('HSET', KEYS[2], id, ARGV[2])
return id
`;

/**
 * The first fault, in the order they were added, that applies to a call, its use counted (and the
 * fault removed once its \`times\` are spent or its sequence run through, unless it repeats), as
 * the memory registry does: answers the fault's JSON and its hits counting this call (whose step
 * is the call's), false when none applies, or 'route?' when a fault asks for the call's route or
 * credential and ARGV holds neither: then nothing was written, and the caller asks again with them.
 * KEYS: faults (hash id → JSON), their hits (hash id → count), their matchers (hash id → JSON:
 * provider, method, route, credential, probability, times, steps of a sequence, repeat). ARGV:
 * provider, method, the call's route and credential as JSON ('' when not read), then draws in
 * [0, 1) for faults with a probability. Only the matchers are decoded; a fault's JSON is read once it applies.
 */
export const TAKE_FAULT = `
local all = redis.call('HGETALL', KEYS[3])
if #all == 0 then return false end
local call = nil
if ARGV[3] ~= '' then call = cjson.decode(ARGV[3]) end
local faults = {}
for i = 1, #all, 2 do faults[#faults + 1] = {tonumber(string.sub(all[i], 7)), all[i], all[i + 1]} end
table.sort(faults, function(a, b) return a[1] < b[1] end)
local draw = 4
for _, entry in ipairs(faults) do
  local fault = cjson.decode(entry[3])
  if fault.provider == ARGV[1] and (fault.method == nil or fault.method == ARGV[2]) then
    local matches = true
    if fault.route ~= nil or fault.credential ~= nil then
      if call == nil then return 'route?' end
      matches = (fault.route == nil or fault.route == call.route) and (fault.credential == nil or fault.credential == call.credential)
    end
    if matches and fault.probability ~= nil then
      matches = tonumber(ARGV[draw] or '1') < fault.probability
      draw = draw + 1
    end
    if matches then
      local json = redis.call('HGET', KEYS[1], entry[2])
      local hits = redis.call('HINCRBY', KEYS[2], entry[2], 1)
      local spent = fault.times ~= nil and hits >= fault.times
      if fault.steps ~= nil and fault['repeat'] ~= true and hits >= fault.steps then spent = true end
      if spent then
        redis.call('HDEL', KEYS[1], entry[2])
        redis.call('HDEL', KEYS[2], entry[2])
        redis.call('HDEL', KEYS[3], entry[2])
      end
      return {json, hits}
    end
  end
end
return false
`;

/** Clears one provider's faults, or all (ARGV empty). KEYS: faults, their hits, their matchers. Answers how many. */
export const CLEAR_FAULTS = `
local all = redis.call('HGETALL', KEYS[3])
local cleared = 0
for i = 1, #all, 2 do
  if ARGV[1] == nil or cjson.decode(all[i + 1]).provider == ARGV[1] then
    redis.call('HDEL', KEYS[1], all[i])
    redis.call('HDEL', KEYS[2], all[i])
    redis.call('HDEL', KEYS[3], all[i])
    cleared = cleared + 1
  end
end
return cleared
`;

/**
 * Changes the mock's time, as one step: set, then advance, then freeze or let run, from the time
 * as it stands. KEYS: the time setting ('offset:<ms>' from the clock beneath, 'frozen:<ms>'; absent:
 * the start setting). ARGV: the clock beneath now, the instant to set ('' for none), ms to advance,
 * freeze ('1', '0', '' to keep), the latest instant allowed, the start setting. Answers the new
 * setting, or false when the time would leave the span dates can show (then nothing changes).
 */
export const CHANGE_TIME = `
local base = tonumber(ARGV[1])
local setting = redis.call('GET', KEYS[1])
if not setting then setting = ARGV[6] end
local kind, value = string.match(setting, '^(%a+):(-?[%d.]+)$')
local frozen = nil
local offset = 0
if kind == 'frozen' then frozen = tonumber(value) else offset = tonumber(value) end
local now = frozen or (base + offset)
if ARGV[2] ~= '' then now = tonumber(ARGV[2]) end
now = now + tonumber(ARGV[3])
if not (now >= 0 and now <= tonumber(ARGV[5])) then return false end
local freeze = frozen ~= nil
if ARGV[4] ~= '' then freeze = ARGV[4] == '1' end
if freeze then setting = 'frozen:' .. string.format('%.17g', now) else setting = 'offset:' .. string.format('%.17g', now - base) end
redis.call('SET', KEYS[1], setting)
return setting
`;

/**
 * Appends a journal entry, numbered, keeping the last \`capacity\`.
 * KEYS: the journal (list of JSON), the last id. ARGV: the entry as JSON without its id, capacity.
 */
export const RECORD_REQUEST = `
local id = redis.call('INCR', KEYS[2])
redis.call('RPUSH', KEYS[1], '{"id":' .. id .. ',' .. string.sub(ARGV[1], 2))
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
return id
`;

/**
 * The shared state's identity, created when first needed: a state that Redis lost (restarted empty,
 * flushed) gets a new one, and so does a reset; a replica that sees another drops the records it
 * applied and applies the log again from its start.
 */
const EPOCH = `
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  redis.call('SET', KEYS[1], ARGV[1])
  epoch = ARGV[1]
end
`;

/**
 * A request's catch-up, in one script so that the log is read with the identity it belongs to;
 * it writes nothing, so it runs while Redis refuses writes (full, paused for writes) and a replica
 * still learns of a reset. KEYS: the identity, the change log (list), the time setting, the faults'
 * matchers (hash). ARGV: the identity this replica knows ('' for none), how many changes of the log
 * it applied. Answers the identity ('' while the state is empty), the time setting (false: the
 * start setting), how many faults are set, then the changes not applied: all when the identity is another.
 */
export const CATCH_UP = `#!lua flags=no-writes,allow-oom
local epoch = redis.call('GET', KEYS[1]) or ''
local from = tonumber(ARGV[2])
if epoch ~= ARGV[1] then from = 0 end
local answer = {epoch, redis.call('GET', KEYS[3]), redis.call('HLEN', KEYS[4])}
local changes = redis.call('LRANGE', KEYS[2], from, -1)
for i = 1, #changes do answer[#answer + 1] = changes[i] end
return answer
`;

/** What a change superseded by a later one is replaced with in the log: its place kept, its bytes gone. */
export const SUPERSEDED = '-';

/**
 * Appends a record change to the log, unless past its deadline (Redis's time, ms: its caller has
 * answered 503 by then, so it must not apply later), and compacts the log as it goes: when the
 * provider's previous entry changed the same record in fields that this change sets again, that
 * entry is replaced by SUPERSEDED (its place kept, so that every replica's position stays exact):
 * whatever it did, this change undoes, and nothing of the provider came in between. 200 changes of
 * one record keep one of them, whatever their size.
 * KEYS: the identity, the change log, the last entry of each provider (hash provider → JSON: its
 * place, the record a change changed, the fields it set). ARGV: a new identity (taken when there is
 * none), the change as JSON, the deadline, the provider, the record a change changes ('' for any
 * other write), the fields it sets (JSON array). Answers the identity and the change's place in the
 * log (-1: past the deadline, not appended).
 */
export const APPEND_CHANGE = `${EPOCH}
local t = redis.call('TIME')
if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[3]) then return {epoch, -1} end
local place = redis.call('RPUSH', KEYS[2], ARGV[2]) - 1
local previous = redis.call('HGET', KEYS[3], ARGV[4])
if previous and ARGV[5] ~= '' then
  previous = cjson.decode(previous)
  if previous.record == ARGV[5] then
    local given = {}
    for _, field in ipairs(cjson.decode(ARGV[6])) do given[field] = true end
    local covered = true
    for _, field in ipairs(previous.fields) do
      if not given[field] then covered = false end
    end
    if covered then redis.call('LSET', KEYS[2], previous.place, '${SUPERSEDED}') end
  end
end
redis.call('HSET', KEYS[3], ARGV[4], cjson.encode({place = place, record = ARGV[5], fields = cjson.decode(ARGV[6])}))
return {epoch, place}
`;

/**
 * Clears, in one step, the change log and every key of the state a call does not create (faults,
 * journal, time), starts the periods seeded figures hold for now, and gives the state a new
 * identity: a write is in the log before the reset, and cleared, or after it, never half.
 * KEYS: the identity, the seeded periods, then the keys to clear. ARGV: the new identity, then
 * period and start pairs.
 */
export const RESET = `
for i = 3, #KEYS do redis.call('UNLINK', KEYS[i]) end
redis.call('DEL', KEYS[2])
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]
`;

/**
 * Spends creation budgets, all or none. KEYS: one counter per budget. ARGV: count and limit per
 * key, in order. Answers false when spent, or the index (from 1) of the first budget the addition
 * would pass and what was spent of it.
 */
export const SPEND_BUDGETS = `
for i = 1, #KEYS do
  local spent = tonumber(redis.call('GET', KEYS[i]) or '0')
  if spent + tonumber(ARGV[2 * i - 1]) > tonumber(ARGV[2 * i]) then return {i, spent} end
end
for i = 1, #KEYS do redis.call('INCRBY', KEYS[i], ARGV[2 * i - 1]) end
return false
`;

/** What a script checked against a call's view answers when the state moved since: nothing was written. */
export const STALE = 'stale';

/**
 * The script, run first only when the shared state is as a call found it (see state.ts, CallView):
 * it takes four more keys (the identity, the change log, the time setting, the faults' matchers)
 * and four more arguments (the identity, how many changes were applied, the time setting, how many
 * faults were set) after its own, and answers STALE, having written nothing, when one differs.
 * The script's own KEYS and ARGV are read from copies without the view's (Redis's are read-only).
 */
function checkedAgainstView(script: string): string {
  return `
local nk, na = #KEYS, #ARGV
if (redis.call('GET', KEYS[nk - 3]) or '') ~= ARGV[na - 3]
  or redis.call('LLEN', KEYS[nk - 2]) ~= tonumber(ARGV[na - 2])
  or (redis.call('GET', KEYS[nk - 1]) or '') ~= ARGV[na - 1]
  or redis.call('HLEN', KEYS[nk]) ~= tonumber(ARGV[na]) then
  return '${STALE}'
end
local K = {unpack(KEYS, 1, nk - 4)}
local A = {unpack(ARGV, 1, na - 4)}
${script.replaceAll('KEYS', 'K').replaceAll('ARGV', 'A')}`;
}

export const USAGE_STEP_CHECKED = checkedAgainstView(USAGE_STEP);
export const RECORD_REQUEST_CHECKED = checkedAgainstView(RECORD_REQUEST);
