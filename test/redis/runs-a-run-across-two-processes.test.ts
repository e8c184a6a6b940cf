import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { shardOf, shardTag } from '#herald/redis/shards.js';
import { Redis } from 'ioredis';
import { numbers, RunClient } from '../hub/runs/support/run-client.js';
import { startRun } from '../hub/runs/support/run-app.js';
import { sleep, until } from '../support/http-server.js';
import type { HeraldNode } from './support/cluster.js';
import { dropPrefix, testRedis, uniquePrefix } from './support/redis-server.js';
import { cancelFromTheOtherProcess, startRunNode } from './support/run-nodes.js';

const redis = await testRedis();
// Short, so the killed-process case ends within seconds; the bound asserted is generous.
const LEASE_MS = 1_500;
// After both suites (the second shards the log on the same server).
after(() => redis.stop());

describe('runs on Redis across two processes', { skip: redis.skip }, () => {
  const prefix = uniquePrefix('runs');
  let a: HeraldNode;
  let b: HeraldNode;
  let conn: Redis;
  before(async () => {
    [a, b] = await Promise.all([
      startRunNode(redis.url, prefix, LEASE_MS),
      startRunNode(redis.url, prefix, LEASE_MS),
    ]);
    conn = new Redis(redis.url);
  });
  after(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    conn?.disconnect();
    await dropPrefix(redis.url, prefix);
  });

  it('starts on one process and resumes on the other after cuts: every event once, in order', async () => {
    const client = new RunClient([`${a.url}/runs/r1`, `${b.url}/runs/r1`], {
      post: { count: 300, everyMs: 3 },
      cuts: [20, 75, 140, 141, 230],
    });
    const view = await client.done;
    assert.deepEqual(view.data, numbers(300));
    assert.equal(view.status, 'done');
    assert.equal(view.statuses.at(-1), 204);
    const followers = await Promise.all([
      new RunClient(`${b.url}/runs/r1`).done,
      new RunClient(`${a.url}/runs/r1`).done,
    ]);
    for (const f of followers) assert.deepEqual(f.data, numbers(300));
  });

  it('claims an id once across processes: 409 from the other', async () => {
    assert.equal(await startRun(a.url, 'r2', { count: 100, everyMs: 20 }), 200);
    assert.equal(await startRun(b.url, 'r2', { count: 1 }), 409);
    const codes = await Promise.all([
      startRun(a.url, 'r2b', { count: 5 }),
      startRun(b.url, 'r2b', { count: 5 }),
    ]);
    assert.deepEqual(codes.sort(), [200, 409], 'two racing starts: one wins');
    assert.equal((await fetch(`${b.url}/runs/nothing`)).status, 404);
  });

  it('cancels from the other process: the producer is aborted where it runs', async () => {
    await cancelFromTheOtherProcess(a, b, 'r3');
    assert.equal((await fetch(`${a.url}/runs/r3`, { method: 'DELETE' })).status, 200);
  });

  it('removes every key of a run once ttlMs has passed after its end', async () => {
    const view = await new RunClient(`${a.url}/runs/r4`, { post: { count: 20, ttlMs: 500 } }).done;
    assert.equal(view.status, 'done');
    const keys = () => conn.keys(`${prefix}:run:{r4}*`);
    assert.ok((await keys()).length >= 2, 'the run is in Redis while retained');
    const started = Date.now();
    while ((await keys()).length > 0) {
      assert.ok(Date.now() - started < 10_000, 'keys gone within 10 s of a 500 ms ttl');
      await sleep(100);
    }
    assert.equal((await fetch(`${b.url}/runs/r4`)).status, 404);
  });

  it('ends the runs of a killed process failed for followers elsewhere, within the lease', async () => {
    const c = await startRunNode(redis.url, prefix, LEASE_MS);
    assert.equal(await startRun(c.url, 'r5', { count: 10_000, everyMs: 20 }), 200);
    const onB = new RunClient(`${b.url}/runs/r5`);
    await until(() => onB.data.length >= 5, 'events on b', 10_000);
    await c.kill();
    const killed = Date.now();
    const view = await onB.done;
    const took = Date.now() - killed;
    assert.equal(view.status, 'failed');
    assert.deepEqual(view.data, numbers(view.data.length));
    // The lease (1.5 s) plus a check (a quarter of it) on a loaded machine: generous.
    assert.ok(took < LEASE_MS + 10_000, `ended after ${took} ms`);
  });
});

describe('runs on Redis across two processes, the log sharded on one server', {
  skip: redis.skip,
}, () => {
  const prefix = uniquePrefix('sruns');
  const SHARDS = 4;
  let a: HeraldNode;
  let b: HeraldNode;
  let conn: Redis;
  before(async () => {
    const env = { HERALD_REDIS_SHARDS: String(SHARDS) };
    [a, b] = await Promise.all([
      startRunNode(redis.url, prefix, LEASE_MS, env),
      startRunNode(redis.url, prefix, LEASE_MS, env),
    ]);
    conn = new Redis(redis.url);
  });
  after(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    conn?.disconnect();
    await dropPrefix(redis.url, prefix);
  });

  it("keeps each run's keys under its shard's tag, and resumes across processes exactly", async () => {
    const ids = ['s1', 's2', 's3', 's4', 's5', 's6'];
    const clients = ids.map(
      (id) =>
        new RunClient([`${a.url}/runs/${id}`, `${b.url}/runs/${id}`], {
          post: { count: 100, everyMs: 3 },
          cuts: [10, 50],
        }),
    );
    for (const c of clients) assert.deepEqual((await c.done).data, numbers(100));
    for (const id of ids) {
      const tag = shardTag(shardOf(id, SHARDS), SHARDS);
      const keys = await conn.keys(`${prefix}:run:*`);
      const mine = keys.filter((k) => new RegExp(`\\}:${id}(:log|:lease)?$`).test(k));
      assert.ok(mine.length >= 2, `${id}: ${keys}`);
      for (const key of mine) assert.ok(key.startsWith(`${prefix}:run:{${tag}}:${id}`), key);
    }
  });
});
