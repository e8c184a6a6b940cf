import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { keySlot } from '#herald/redis/key-slot.js';
import { shardKeys } from '#herald/redis/shards.js';
import { ClusterClient, type HeraldNode, publish } from './support/cluster.js';
import { sleep } from './support/ground-truth.js';
import { clusterSkip, kill, TestCluster } from './support/redis-cluster.js';
import { uniquePrefix } from './support/redis-server.js';
import { startProcesses, TOPICS } from './support/sharded-scenario.js';

const SHARDS = 6;

describe('a sharded log on a Redis Cluster whose master is killed', { skip: clusterSkip() }, () => {
  const prefix = uniquePrefix('failover');
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

  it('publishes again after the replica takes over; clients miss nothing silently, get nothing twice', async () => {
    const urls = nodes.map((n) => n.url);
    const clients = [
      ...TOPICS.map((t, i) => new ClusterClient(urls, [t], i % 2)),
      new ClusterClient(urls, TOPICS, 0),
      new ClusterClient(urls, TOPICS.slice(0, 6), 1),
    ];
    await sleep(1000);
    try {
      await failOver(clients);
    } finally {
      for (const c of clients) c.close();
    }
  });

  async function failOver(clients: ClusterClient[]): Promise<void> {
    const urls = nodes.map((n) => n.url);
    const acked = new Map<string, number[]>(TOPICS.map((t) => [t, []]));
    let stop = false;
    const lanes = TOPICS.map(async (t, lane) => {
      for (let i = 0; !stop; i++) {
        try {
          await publish(urls[(i + lane) % 2]!, t, `${t}:${i}`);
          acked.get(t)!.push(i);
        } catch {
          await sleep(100);
        }
        await sleep(10);
      }
    });
    await sleep(1500);
    // The master of shard 0 dies without a word; its replica is promoted after the node timeout.
    const victim = await cluster.masterOf(keySlot(shardKeys(prefix, SHARDS)[0]!));
    await kill(cluster.nodes.find((n) => n.port === victim)!.child);
    const promoted = Date.now();
    for (;;) {
      const now = await cluster
        .masterOf(keySlot(shardKeys(prefix, SHARDS)[0]!))
        .catch(() => victim);
      if (now !== victim) break;
      if (Date.now() - promoted > 30_000) {
        stop = true;
        assert.fail('no replica was promoted');
      }
      await sleep(200);
    }
    const before = [...acked.values()].reduce((n, l) => n + l.length, 0);
    await sleep(4000);
    stop = true;
    await Promise.all(lanes);
    const total = [...acked.values()].reduce((n, l) => n + l.length, 0);
    assert.ok(total > before + 50, `publishing resumed after the failover (${before} -> ${total})`);
    await sleep(2000);
    for (const c of clients) {
      const what = `client of ${c.topics.length} topic(s)`;
      const gaps = c.events.filter((e) => e.type === 'herald:gap').length;
      for (const t of c.topics) {
        const got = c.published
          .map((e) => e.data.replace(/"/g, '').split(':') as [string, string])
          .filter(([topic]) => topic === t)
          .map(([, n]) => Number(n));
        for (let i = 1; i < got.length; i++)
          assert.ok(got[i]! > got[i - 1]!, `${what}: ${t} in order, never twice`);
        const missing = acked.get(t)!.filter((n) => !got.includes(n));
        assert.ok(missing.length === 0 || gaps > 0, `${what}: ${t} lost ${missing} silently`);
      }
    }
  }
});
