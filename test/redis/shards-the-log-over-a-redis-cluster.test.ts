import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { keySlot } from '#herald/redis/key-slot.js';
import { shardKeys } from '#herald/redis/shards.js';
import { ClusterClient, type HeraldNode } from './support/cluster.js';
import { sleep } from './support/ground-truth.js';
import { clusterSkip, TestCluster } from './support/redis-cluster.js';
import { uniquePrefix } from './support/redis-server.js';
import { everyEventOnceInOrder, startProcesses, TOPICS } from './support/sharded-scenario.js';

const skip = clusterSkip();
const SHARDS = 16;

describe('a log sharded over a Redis Cluster of 3 masters', { skip }, () => {
  const prefix = uniquePrefix('cluster');
  let cluster: TestCluster;
  let nodes: HeraldNode[] = [];
  before(async () => {
    cluster = await TestCluster.start();
    const env = { HERALD_REDIS_CLUSTER: cluster.env, HERALD_REDIS_SHARDS: String(SHARDS) };
    nodes = await startProcesses('redis://unused', prefix, env);
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.kill()));
    await cluster?.stop();
  });

  it('spreads the shards evenly over the masters', async () => {
    const perMaster = new Map<number, number>();
    const conn = cluster.connect(cluster.nodes[0]!.port);
    try {
      for (const key of shardKeys(prefix, SHARDS)) {
        const slot = keySlot(key);
        assert.equal(Number(await conn.call('CLUSTER', 'KEYSLOT', key)), slot, key);
        const master = await cluster.masterOf(slot);
        perMaster.set(master, (perMaster.get(master) ?? 0) + 1);
      }
    } finally {
      conn.disconnect();
    }
    assert.equal(perMaster.size, 3, 'every master holds shards');
    for (const n of perMaster.values()) assert.ok(n >= 5 && n <= 6, `${[...perMaster.values()]}`);
  });

  it('gives clients moved at random points every event of their topics once, in order', async () => {
    await everyEventOnceInOrder(nodes, 30);
  });

  it('reads with one blocking connection per shard per process, whatever the clients', async () => {
    const blocked = async () => {
      let xread = 0;
      let named = 0;
      for (const n of cluster.nodes) {
        const conn = cluster.connect(n.port);
        try {
          const list = String(await conn.call('CLIENT', 'LIST'));
          for (const line of list.split('\n')) {
            if (!line.includes(` name=${prefix}:`)) continue;
            named++;
            if (line.includes(' cmd=xread') && / flags=\w*b/.test(line)) xread++;
          }
        } finally {
          conn.disconnect();
        }
      }
      return { xread, named };
    };
    const settle = async () => {
      // A feed is between two reads for a moment now and then: take the most seen in a second.
      let best = { xread: 0, named: 0 };
      for (let i = 0; i < 10; i++) {
        const now = await blocked();
        if (now.xread > best.xread) best = now;
        await sleep(100);
      }
      return best;
    };
    const before = await settle();
    assert.equal(before.xread, 2 * SHARDS);
    const urls = nodes.map((n) => n.url);
    const clients = Array.from(
      { length: 48 },
      (_, i) => new ClusterClient(urls, [TOPICS[i % 12]!, TOPICS[(i * 5) % 12]!], i % 2),
    );
    try {
      await sleep(1500);
      const during = await settle();
      assert.equal(during.xread, 2 * SHARDS, 'blocking reads do not grow with clients');
      assert.ok(during.named <= before.named, `connections: ${before.named} -> ${during.named}`);
    } finally {
      for (const c of clients) c.close();
    }
  });
});
