import type { Redis } from 'ioredis';
import { GAP_EVENT } from '../../hub/replay.js';
import type { RunKeys } from './run-keys.js';

// Every script takes KEYS = meta, log, lease of one run (one hash slot) and runs atomically: a
// claim, an append and an end can never interleave, whichever processes send them.

/** ARGV: owner, leaseMs, keepMs, ttlMs, maxEvents, maxBytes. 1 when claimed, 0 when taken. */
const CLAIM = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[1], 'state', 'running', 'owner', ARGV[1], 'ttl', ARGV[4],
  'max', ARGV[5], 'maxBytes', ARGV[6], 'bytes', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2])
return 1`;

// A failover can lose entries the old master acknowledged (replication is asynchronous). The
// producing process passes the id of its last acknowledged entry (PREV, '' for none): when the
// log no longer holds it, the script first appends a loss entry (the gap notice as the run's
// event, field 'g' naming PREV), just above PREV when the log is below it, so every follower is
// told in order. The hash records the lost range, `lost:<newest entry kept below it>` = PREV, so
// a resume from a lost id can be told from a foreign one (RedisRunLog.position); `lost` (the
// newest such PREV), so appends in flight with the same PREV write one entry, not one each; and
// `losses`, so loss entries do not count against the run's cap. lossCheck(p) reads PREV and the
// notice JSON from ARGV[p] and ARGV[p + 1].
const LOSS = `
local function below(a, b)
  local da, db = string.find(a, '-', 1, true), string.find(b, '-', 1, true)
  local ma, mb = tonumber(string.sub(a, 1, da - 1)), tonumber(string.sub(b, 1, db - 1))
  if ma ~= mb then return ma < mb end
  return tonumber(string.sub(a, da + 1)) < tonumber(string.sub(b, db + 1))
end
local function lossEntry(after, json)
  local kept = redis.call('XREVRANGE', KEYS[2], after, '-', 'COUNT', 1)[1]
  local dash = string.find(after, '-', 1, true)
  local above = string.sub(after, 1, dash - 1) .. '-' ..
    string.format('%.0f', tonumber(string.sub(after, dash + 1)) + 1)
  local id = redis.pcall('XADD', KEYS[2], above, 'e', json, 'g', after)
  if type(id) == 'table' and id.err then id = redis.call('XADD', KEYS[2], '*', 'e', json, 'g', after) end
  redis.call('HSET', KEYS[1], 'lost:' .. (kept and kept[1] or '0-0'), after)
  local told = redis.call('HGET', KEYS[1], 'lost')
  if not told or below(told, after) then redis.call('HSET', KEYS[1], 'lost', after) end
  redis.call('HINCRBY', KEYS[1], 'losses', 1)
  return id
end
local function lossCheck(p)
  local prev = ARGV[p]
  if prev == '' then return end
  local told = redis.call('HGET', KEYS[1], 'lost')
  if told and not below(told, prev) then return end
  if #redis.call('XRANGE', KEYS[2], prev, prev) > 0 then return end
  lossEntry(prev, ARGV[p + 1])
end
`;

/** ARGV: event JSON, its encoded size, PREV, loss JSON. The entry's id; errors ENDED or FULL. */
const APPEND = `${LOSS}
local m = redis.call('HMGET', KEYS[1], 'state', 'max', 'maxBytes', 'bytes')
if m[1] ~= 'running' then return {err = 'ENDED'} end
lossCheck(3)
local losses = tonumber(redis.call('HGET', KEYS[1], 'losses') or '0')
if redis.call('XLEN', KEYS[2]) - losses >= tonumber(m[2])
  or tonumber(m[4]) + tonumber(ARGV[2]) > tonumber(m[3]) then
  return {err = 'FULL'}
end
local id = redis.call('XADD', KEYS[2], '*', 'e', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'bytes', ARGV[2])
if redis.call('PTTL', KEYS[2]) < 0 then
  local keep = redis.call('PTTL', KEYS[1])
  if keep > 0 then redis.call('PEXPIRE', KEYS[2], keep) end
end
return id`;

/**
 * ARGV: status, terminal event JSON, '1' to end only if the lease is gone, PREV, loss JSON. The
 * terminal entry's id and the run's ttl, or nil when the run is not running (or its producer still
 * holds the lease).
 */
const FINISH = `${LOSS}
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return false end
if ARGV[3] == '1' and redis.call('EXISTS', KEYS[3]) == 1 then return false end
lossCheck(4)
local id = redis.call('XADD', KEYS[2], '*', 'e', ARGV[2], 'f', '1')
local ttl = redis.call('HGET', KEYS[1], 'ttl')
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'end', id)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('DEL', KEYS[3])
return {id, ttl}`;

/**
 * ARGV: the last id a follower's feed delivered, loss JSON. After a reconnect the log ends below
 * it (a failover to a replica that lagged): appends a loss entry above it (so ids go on above
 * every id delivered), unless the log already went past it. The entry's id, or nil.
 */
const FLOOR = `${LOSS}
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
if newest == nil then return false end
if not below(newest[1], ARGV[1]) then return false end
return lossEntry(ARGV[1], ARGV[2])`;

/** ARGV: owner, leaseMs, keepMs. 1 when renewed, 0 when the run is no longer this owner's. */
const RENEW = `
local m = redis.call('HMGET', KEYS[1], 'state', 'owner')
if m[1] ~= 'running' or m[2] ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
return 1`;

type Script<A extends unknown[], R> = (
  meta: string,
  log: string,
  lease: string,
  ...args: A
) => Promise<R>;

/** The run scripts, defined once on a connection (EVALSHA, loaded on first use). */
export interface RunScripts {
  claim(
    keys: RunKeys,
    owner: string,
    leaseMs: number,
    keepMs: number,
    ttlMs: number,
    maxEvents: number,
    maxBytes: number,
  ): Promise<number>;
  /** `prev`: this process's last acknowledged entry of the run ('' for none). */
  append(keys: RunKeys, json: string, size: number, prev: string): Promise<string>;
  finish(
    keys: RunKeys,
    status: string,
    json: string,
    ifLeaseLost: boolean,
    prev: string,
  ): Promise<[string, string] | null>;
  /** After a follower's feed reconnected: a loss entry above `last` if the log is below it. */
  floor(keys: RunKeys, last: string): Promise<string | null>;
  renew(keys: RunKeys, owner: string, leaseMs: number, keepMs: number): Promise<number>;
}

/** The loss entry's event: the gap notice every follower that passes it gets. */
const LOSS_JSON = JSON.stringify({
  type: GAP_EVENT,
  data: { lastEventId: null, oldestId: null, reason: 'lost' },
});

/** Defines the scripts on `conn` (ioredis `defineCommand`: EVALSHA, EVAL after NOSCRIPT). */
export function runScripts(conn: Redis): RunScripts {
  const scripts = {
    heraldRunClaim: CLAIM,
    heraldRunAppend: APPEND,
    heraldRunFinish: FINISH,
    heraldRunFloor: FLOOR,
    heraldRunRenew: RENEW,
  };
  for (const [name, lua] of Object.entries(scripts)) {
    if (typeof (conn as unknown as Record<string, unknown>)[name] !== 'function') {
      conn.defineCommand(name, { numberOfKeys: 3, lua });
    }
  }
  const c = conn as unknown as {
    heraldRunClaim: Script<[string, number, number, number, number, number], number>;
    heraldRunAppend: Script<[string, number, string, string], string>;
    heraldRunFinish: Script<[string, string, string, string, string], [string, string] | null>;
    heraldRunFloor: Script<[string, string], string | null>;
    heraldRunRenew: Script<[string, number, number], number>;
  };
  return {
    claim: (k, owner, leaseMs, keepMs, ttlMs, maxEvents, maxBytes) =>
      c.heraldRunClaim(k.meta, k.log, k.lease, owner, leaseMs, keepMs, ttlMs, maxEvents, maxBytes),
    append: (k, json, size, prev) =>
      c.heraldRunAppend(k.meta, k.log, k.lease, json, size, prev, LOSS_JSON),
    finish: (k, status, json, ifLeaseLost, prev) =>
      c.heraldRunFinish(
        k.meta,
        k.log,
        k.lease,
        status,
        json,
        ifLeaseLost ? '1' : '0',
        prev,
        LOSS_JSON,
      ),
    floor: (k, last) => c.heraldRunFloor(k.meta, k.log, k.lease, last, LOSS_JSON),
    renew: (k, owner, leaseMs, keepMs) =>
      c.heraldRunRenew(k.meta, k.log, k.lease, owner, leaseMs, keepMs),
  };
}
