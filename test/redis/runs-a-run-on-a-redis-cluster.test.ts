import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { keySlot } from '#herald/redis/key-slot.js';
import { shardKeys, shardOf } from '#herald/redis/shards.js';
import { numbers, RunClient } from '../hub/runs/support/run-client.js';
import { startRun } from '../hub/runs/support/run-app.js';
import { until } from '../support/http-server.js';
import type { HeraldNode } from './support/cluster.js';
import { clusterSkip, TestCluster } from './support/redis-cluster.js';
import { uniquePrefix } from './support/redis-server.js';
import { cancelFromTheOtherProcess, startRunNode } from './support/run-nodes.js';

const skip = clusterSkip();
// Three shards, one per master: twelve runs followed on one process must share three run feeds.
const SHARDS = 3;
const LEASE_MS = 3_000;

describe('runs on a Redis Cluster of 3 masters, across two processes', { skip }, () => {
  const prefix = uniquePrefix('cruns');
  let cluster: TestCluster;
  let a: HeraldNode;
  let b: HeraldNode;
  before(async () => {
    cluster = await TestCluster.start();
    const env = { HERALD_REDIS_CLUSTER: cluster.env, HERALD_REDIS_SHARDS: String(SHARDS) };
    [a, b] = await Promise.all([
      startRunNode('redis://unused', prefix, LEASE_MS, env),
      startRunNode('redis://unused', prefix, LEASE_MS, env),
    ]);
  });
  after(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await cluster?.stop();
  });

  it('starts on one process and resumes on the other after cuts: every event once, in order', async () => {
    const client = new RunClient([`${a.url}/runs/c1`, `${b.url}/runs/c1`], {
      post: { count: 300, everyMs: 3 },
      cuts: [20, 75, 140, 141, 230],
    });
    const view = await client.done;
    assert.deepEqual(view.data, numbers(300));
    assert.equal(view.status, 'done');
    const followers = await Promise.all([
      new RunClient(`${b.url}/runs/c1`).done,
      new RunClient(`${a.url}/runs/c1`).done,
    ]);
    for (const f of followers) assert.deepEqual(f.data, numbers(300));
  });

  it('follows twelve runs on every master with one blocking read per shard per process', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `many-${i}`);
    assert.equal(new Set(ids.map((id) => shardOf(id, SHARDS))).size, SHARDS, 'runs on every shard');
    for (const id of ids) assert.equal(await startRun(a.url, id, { count: 150, everyMs: 20 }), 200);
    const clients = ids.map((id) => new RunClient(`${b.url}/runs/${id}`));
    await until(() => clients.every((c) => c.data.length >= 3), 'events of every run on b', 20_000);
    // While all twelve are followed: the run feeds blocked in XREAD, over every node.
    let blocked = 0;
    for (const n of cluster.nodes) {
      const conn = cluster.connect(n.port);
      try {
        for (const line of String(await conn.call('CLIENT', 'LIST')).split('\n'))
          if (line.includes(` name=${prefix}:runs`) && line.includes(' cmd=xread')) blocked++;
      } finally {
        conn.disconnect();
      }
    }
    // b follows runs of every shard (one read each); a may follow some too, never one per run.
    assert.ok(
      blocked >= SHARDS && blocked <= 2 * SHARDS,
      `${blocked} run-feed reads for 12 runs on 2 processes`,
    );
    for (const c of clients) {
      const view = await c.done;
      assert.equal(view.status, 'done');
      assert.deepEqual(view.data, numbers(150));
    }
  });

  it('cancels from the other process: the producer is aborted where it runs', async () => {
    await cancelFromTheOtherProcess(a, b, 'c3');
  });

  it("keeps a run's keys in its shard's slot, on the master that holds it", async () => {
    const view = await new RunClient(`${a.url}/runs/c4`, { post: { count: 10 } }).done;
    assert.equal(view.status, 'done');
    const shardKey = shardKeys(prefix, SHARDS)[shardOf('c4', SHARDS)]!;
    const slot = keySlot(shardKey);
    const master = cluster.connect(await cluster.masterOf(slot));
    try {
      const keys = (await master.call('KEYS', `${prefix}:run:*c4*`)) as string[];
      assert.ok(keys.length >= 2, `meta and log on the shard's master: ${keys}`);
      for (const key of keys) {
        assert.equal(Number(await master.call('CLUSTER', 'KEYSLOT', key)), slot, key);
        assert.ok(key.endsWith(':c4') || key.includes(':c4:'), key);
      }
    } finally {
      master.disconnect();
    }
  });
});
