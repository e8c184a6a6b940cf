import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hub, isHeraldError } from 'herald/hub';
import { RedisBroker, redisBrokerFromEnv } from 'herald/redis';
import { Redis } from 'ioredis';
import { keySlot } from '#herald/redis/key-slot.js';
import { shardKeys, shardOf } from '#herald/redis/shards.js';
import { MasterReplica } from './support/master-replica.js';
import { clusterSkip, TestCluster } from './support/redis-cluster.js';
import { hasRedisServer, uniquePrefix } from './support/redis-server.js';

/** The data of every event the replica holds under `prefix` (each shard's stream). */
async function onReplica(url: string, prefix: string): Promise<Set<string>> {
  const conn = new Redis(url);
  try {
    const data = new Set<string>();
    for (const key of await conn.keys(`${prefix}:log*`)) {
      for (const [, fields] of (await conn.xrange(key, '-', '+')) as [string, string[]][]) {
        if (fields[2] === 'e') data.add((JSON.parse(fields[3]!) as { data: string }).data);
      }
    }
    return data;
  } finally {
    conn.disconnect();
  }
}

describe('publishes that wait for a replica (replicas: 1)', {
  skip: hasRedisServer() ? false : 'no redis-server binary to start a master and a replica',
}, () => {
  for (const shards of [1, 3]) {
    it(`resolve only once the replica has them, and reject while it cannot get them (${shards === 1 ? 'one stream' : '3 shards'})`, async () => {
      const prefix = uniquePrefix('replicas');
      const redis = await MasterReplica.start(0, prefix);
      const broker = new RedisBroker({
        url: redis.master.url,
        prefix,
        shards,
        replicas: 1,
        replicaTimeoutMs: 500,
      });
      const hub = new Hub({ broker });
      try {
        await hub.ready;
        await redis.caughtUp();
        // Many at once: each resolves once the replica has it (one WAIT per round trip).
        const data = Array.from({ length: 200 }, (_, i) => String(i));
        await Promise.all(data.map((d, i) => hub.publish(`t${i % 7}`, { data: d })));
        const copied = await onReplica(redis.replica.url, prefix);
        assert.deepEqual(
          data.filter((d) => !copied.has(d)),
          [],
          'every resolved publish is on the replica',
        );

        // The replica gets nothing more: a publish is on the master only, and says so.
        redis.replication.hold('all');
        const started = Date.now();
        const refused = await hub.publish('t0', { data: 'unreplicated' }).catch((e: unknown) => e);
        assert.ok(isHeraldError(refused, 'BROKER_UNAVAILABLE'), String(refused));
        assert.match((refused as Error).message, /not on 1 replica/);
        assert.ok(Date.now() - started >= 400, 'it waited for the replica');
        assert.equal(broker.stats().errors.append, 1);
      } finally {
        await hub.close();
        await redis.stop();
      }
    });
  }

  it('is set by HERALD_REDIS_REPLICAS, and refuses a timeout it cannot keep', () => {
    assert.throws(() => new RedisBroker({ replicas: -1 }), RangeError);
    assert.throws(
      () => new RedisBroker({ replicas: 1, replicaTimeoutMs: 3_000, commandTimeoutMs: 5_000 }),
      /at most half of commandTimeoutMs/,
    );
    assert.throws(() => new RedisBroker({ replicas: 1, replicaTimeoutMs: 100.5 }), /integer/);
    // Without replicas the timeout is not looked at: short command timeouts stay allowed.
    assert.ok(new RedisBroker({ commandTimeoutMs: 500 }) instanceof RedisBroker);
    assert.throws(
      () =>
        redisBrokerFromEnv({ HERALD_REDIS_URL: 'redis://127.0.0.1:1', HERALD_REDIS_REPLICAS: 'x' }),
      /replicas must be a non-negative integer/,
    );
    assert.ok(
      redisBrokerFromEnv({
        HERALD_REDIS_URL: 'redis://127.0.0.1:1',
        HERALD_REDIS_REPLICAS: '1',
      }) instanceof RedisBroker,
    );
  });
});

describe('publishes that wait for a replica on a Redis Cluster', { skip: clusterSkip() }, () => {
  it("wait on the shard's own master: a shard whose replica stops answering refuses, the others go on", async () => {
    const cluster = await TestCluster.start();
    const prefix = uniquePrefix('cluster-replicas');
    const nodes = cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port }));
    const broker = new RedisBroker({ cluster: { nodes }, shards: 3, prefix, replicas: 1 });
    const hub = new Hub({ broker });
    let stopped: TestCluster['nodes'][number] | undefined;
    try {
      await hub.ready;
      const topics = ['a', 'b', 'c', 'd', 'x', 'y'];
      await Promise.all(topics.map((t, i) => hub.publish(t, { data: String(i) })));
      // Shard 0's master, and its replica (SIGSTOP: it no longer acknowledges what it receives).
      const master = await cluster.masterOf(keySlot(shardKeys(prefix, 3)[0]!));
      const conn = cluster.connect(master);
      const info = await conn.info('replication').finally(() => conn.disconnect());
      const replicaPort = Number(/slave0:ip=[^,]+,port=(\d+)/.exec(info)![1]);
      stopped = cluster.nodes.find((n) => n.port === replicaPort)!;
      stopped.child.kill('SIGSTOP');
      const onZero = topics.find((t) => shardOf(t, 3) === 0)!;
      const elsewhere = topics.find((t) => shardOf(t, 3) !== 0)!;
      const [refused, other] = await Promise.all([
        hub.publish(onZero, { data: 'unreplicated' }).catch((e: unknown) => e),
        hub.publish(elsewhere, { data: 'replicated' }),
      ]);
      assert.ok(isHeraldError(refused, 'BROKER_UNAVAILABLE'), String(refused));
      assert.match((refused as Error).message, /not on 1 replica/);
      assert.match(other, /^[12]\./);
    } finally {
      stopped?.child.kill('SIGCONT');
      await hub.close();
      await cluster.stop();
    }
  });
});
