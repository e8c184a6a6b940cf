import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hub, isHeraldError } from 'herald/hub';
import { RedisBroker, redisBrokerFromEnv } from 'herald/redis';
import { Redis } from 'ioredis';
import { MasterReplica } from './support/master-replica.js';
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
      () => new RedisBroker({ replicas: 1, replicaTimeoutMs: 6_000, commandTimeoutMs: 5_000 }),
      /below commandTimeoutMs/,
    );
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
