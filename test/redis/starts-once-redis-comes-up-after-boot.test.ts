import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hub } from 'herald';
import { RedisBroker } from 'herald/redis';
import { hasRedisServer, RedisServer, uniquePrefix } from './support/redis-server.js';

describe('Redis down at boot', {
  skip: hasRedisServer() ? false : 'no redis-server installed',
}, () => {
  it('answers BROKER_UNAVAILABLE while Redis is down, then works once it comes up, without a restart', async () => {
    const redis = await RedisServer.start();
    await redis.kill(); // the port is known and nothing answers on it
    const hub = new Hub({
      broker: new RedisBroker({
        url: redis.url,
        prefix: uniquePrefix('boot'),
        // Each try gives up soon, yet not so soon that a busy machine fails one with Redis up.
        connectTimeoutMs: 1_000,
      }),
    });
    try {
      await assert.rejects(hub.publish('t', { data: 'early' }), {
        code: 'BROKER_UNAVAILABLE',
      } as object);
      await redis.restart();
      const got: unknown[] = [];
      let id: string | undefined;
      // Tries back off from 0.5 s; the deadline only bounds a failing run.
      const deadline = Date.now() + 60_000;
      while (id === undefined && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        try {
          await hub.ready;
          hub.subscribe('t').subscribe({ next: (e) => got.push(e.data) });
          id = await hub.publish('t', { data: 'late' });
        } catch {
          // the broker is still starting
        }
      }
      assert.ok(id, 'a publish succeeded once Redis was up');
      const until = Date.now() + 30_000;
      while (!got.includes('late') && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20));
      assert.ok(got.includes('late'), 'the live feed delivers');
    } finally {
      await hub.close();
      await redis.kill();
    }
  });
});
