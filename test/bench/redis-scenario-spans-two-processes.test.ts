import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PEERS } from '../../bench/peers.js';
import { scriptOf } from '../../bench/runner/run-peer.js';
import {
  type RedisCase,
  redisLatency,
  redisReachable,
  redisThroughput,
} from '../../bench/runner/redis-scenario.js';
import type { RunSettings } from '../../bench/runner/scenarios.js';

const settings: RunSettings = { size: 64, batch: 16, perProcess: 10_000, connectTimeoutMs: 10_000 };
const url = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const herald = scriptOf(PEERS.find((p) => p.id === 'herald')!);
const small: RedisCase = {
  url,
  processes: 2,
  topics: 1,
  clients: 20,
  events: 100,
  rate: 200,
  seconds: 0.2,
  // Generous: keeping up means every event arrives, not that a busy machine is fast.
  slackMs: 10_000,
  tailMs: 20_000,
  timeoutMs: 60_000,
};
const reachable = await redisReachable(url);

describe('the cross-process bench scenario', {
  skip: reachable ? false : `no Redis at ${url}`,
}, () => {
  it('delivers a burst published on one Herald process to clients of both', async () => {
    const r = await redisThroughput(herald, small, settings);
    assert.equal(r.complete, true);
    assert.equal(r.delivered, 1);
    assert.equal(r.excess, 0);
    assert.equal(r.cpu.servers.length, 2, 'CPU is measured for both server processes');
    assert.ok(r.cpu.servers[1]! > 0, 'the second process did the fan-out for its clients');
  });

  it('samples publish-to-receive latency across processes at a fixed rate', async () => {
    const r = await redisLatency(herald, small, settings);
    assert.equal(r.delivered, 1);
    assert.equal(r.keptUp, true);
    // 8 sampled connections on each process, every event sampled.
    assert.equal(r.samples, 16 * 40);
    assert.ok(r.p50 >= 0 && r.p99 >= r.p50 && r.max >= r.p99);
  });
});

describe('redisReachable', () => {
  it('says no for a port where nothing listens', async () => {
    assert.equal(await redisReachable('redis://127.0.0.1:1'), false);
  });
});
