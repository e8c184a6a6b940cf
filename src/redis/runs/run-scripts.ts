import type { Redis } from 'ioredis';
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

/** ARGV: event JSON, its encoded size. The entry's id; errors ENDED or FULL. */
const APPEND = `
local m = redis.call('HMGET', KEYS[1], 'state', 'max', 'maxBytes', 'bytes')
if m[1] ~= 'running' then return redis.error_reply('ENDED') end
if redis.call('XLEN', KEYS[2]) >= tonumber(m[2])
  or tonumber(m[4]) + tonumber(ARGV[2]) > tonumber(m[3]) then
  return redis.error_reply('FULL')
end
local id = redis.call('XADD', KEYS[2], '*', 'e', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'bytes', ARGV[2])
if redis.call('PTTL', KEYS[2]) < 0 then
  local keep = redis.call('PTTL', KEYS[1])
  if keep > 0 then redis.call('PEXPIRE', KEYS[2], keep) end
end
return id`;

/**
 * ARGV: status, terminal event JSON, '1' to end only if the lease is gone. The terminal entry's
 * id and the run's ttl, or nil when the run is not running (or its producer still holds the lease).
 */
const FINISH = `
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return false end
if ARGV[3] == '1' and redis.call('EXISTS', KEYS[3]) == 1 then return false end
local id = redis.call('XADD', KEYS[2], '*', 'e', ARGV[2], 'f', '1')
local ttl = redis.call('HGET', KEYS[1], 'ttl')
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'end', id)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('DEL', KEYS[3])
return {id, ttl}`;

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
  append(keys: RunKeys, json: string, size: number): Promise<string>;
  finish(
    keys: RunKeys,
    status: string,
    json: string,
    ifLeaseLost: boolean,
  ): Promise<[string, string] | null>;
  renew(keys: RunKeys, owner: string, leaseMs: number, keepMs: number): Promise<number>;
}

/** Defines the scripts on `conn` (ioredis `defineCommand`: EVALSHA, EVAL after NOSCRIPT). */
export function runScripts(conn: Redis): RunScripts {
  const scripts = {
    heraldRunClaim: CLAIM,
    heraldRunAppend: APPEND,
    heraldRunFinish: FINISH,
    heraldRunRenew: RENEW,
  };
  for (const [name, lua] of Object.entries(scripts)) {
    if (typeof (conn as unknown as Record<string, unknown>)[name] !== 'function') {
      conn.defineCommand(name, { numberOfKeys: 3, lua });
    }
  }
  const c = conn as unknown as {
    heraldRunClaim: Script<[string, number, number, number, number, number], number>;
    heraldRunAppend: Script<[string, number], string>;
    heraldRunFinish: Script<[string, string, string], [string, string] | null>;
    heraldRunRenew: Script<[string, number, number], number>;
  };
  return {
    claim: (k, owner, leaseMs, keepMs, ttlMs, maxEvents, maxBytes) =>
      c.heraldRunClaim(k.meta, k.log, k.lease, owner, leaseMs, keepMs, ttlMs, maxEvents, maxBytes),
    append: (k, json, size) => c.heraldRunAppend(k.meta, k.log, k.lease, json, size),
    finish: (k, status, json, ifLeaseLost) =>
      c.heraldRunFinish(k.meta, k.log, k.lease, status, json, ifLeaseLost ? '1' : '0'),
    renew: (k, owner, leaseMs, keepMs) =>
      c.heraldRunRenew(k.meta, k.log, k.lease, owner, leaseMs, keepMs),
  };
}
