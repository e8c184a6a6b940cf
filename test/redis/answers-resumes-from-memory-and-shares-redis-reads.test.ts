import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { BrokerEntry } from '#herald/hub/broker.js';
import { RedisBroker, type RedisBrokerOptions } from 'herald/redis';
import { Redis } from 'ioredis';
import { sleep, until } from './support/ground-truth.js';
import { dropPrefix, privateRedis, uniquePrefix } from './support/redis-server.js';

// Its own redis-server: MONITOR counts every XRANGE the server runs.
const redis = await privateRedis();

/**
 * A broker whose feed has delivered `n` entries, and a count of the XRANGEs Redis ran on its key
 * (seen through MONITOR, so nothing in the broker is replaced or wrapped).
 */
async function withBroker(
  name: string,
  options: Omit<RedisBrokerOptions, 'url' | 'prefix'>,
  n: number,
  body: (ctx: {
    broker: RedisBroker;
    ids: string[];
    seen: BrokerEntry[];
    xranges: () => Promise<number>;
  }) => Promise<void>,
): Promise<void> {
  const prefix = uniquePrefix(name);
  const key = `${prefix}:log`;
  const broker = new RedisBroker({ url: redis.url, prefix, ...options });
  const admin = new Redis(redis.url);
  const monitor = await admin.monitor();
  let xranges = 0;
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args[0]?.toLowerCase() === 'xrange' && args[1] === key) xranges++;
  });
  try {
    const seen: BrokerEntry[] = [];
    await broker.start((e) => seen.push(e));
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await broker.append(`t${i % 3}`, { data: String(i) }));
    await until(() => seen.length === n, 'the feed to deliver every entry');
    // MONITOR reports asynchronously: settle, then count from here.
    const counted = async () => {
      await sleep(150);
      return xranges;
    };
    const base = await counted();
    await body({ broker, ids, seen, xranges: async () => (await counted()) - base });
  } finally {
    monitor.disconnect();
    admin.disconnect();
    await broker.close();
    await dropPrefix(redis.url, prefix);
  }
}

const idsOf = (r: Awaited<ReturnType<RedisBroker['readAfter']>>) =>
  r.kind === 'ok' ? r.entries.map((e) => e.id) : r;

describe('resumes are answered from memory when they can, and share their Redis reads', {
  skip: redis.skip,
}, () => {
  after(() => redis.stop());

  it('an id in the window of recent entries: answered from memory with the objects the feed delivered', async () => {
    await withBroker(
      'window',
      { windowEntries: 20 },
      30,
      async ({ broker, ids, seen, xranges }) => {
        // The window holds the last 20: ids[10] .. ids[29].
        const page = await broker.readAfter(ids[15]!, 5);
        assert.deepEqual(idsOf(page), ids.slice(16, 21));
        assert.ok(page.kind === 'ok' && page.entries.every((e, k) => e === seen[16 + k]));
        // Exact at both edges: the oldest kept, and the newest (nothing after it yet).
        assert.deepEqual(idsOf(await broker.readAfter(ids[10]!)), ids.slice(11));
        assert.deepEqual(idsOf(await broker.readAfter(ids[29]!, 256)), []);
        assert.equal(await xranges(), 0, 'no Redis read');

        // Just older than the window: Redis answers, and the entries the window holds are shared.
        const older = await broker.readAfter(ids[9]!, 256);
        assert.deepEqual(idsOf(older), ids.slice(10));
        assert.ok(older.kind === 'ok' && older.entries.every((e, k) => e === seen[10 + k]));
        assert.equal(await xranges(), 1);

        // An id inside the window's range that is not one of its entries: Redis says gap.
        const [ms, seq] = ids[20]!.split('-');
        assert.deepEqual(await broker.readAfter(`${ms}-${Number(seq) + 1000}`, 256), {
          kind: 'gap',
          oldestId: ids[0],
          headId: ids[29],
        });
        // What is appended next joins the window (and drops the oldest).
        const next = await broker.append('t0', { data: 'next' });
        await until(() => seen.length === 31, 'the next entry');
        const before = await xranges();
        assert.deepEqual(idsOf(await broker.readAfter(ids[28]!)), [ids[29], next]);
        assert.equal(await xranges(), before, 'no Redis read');
      },
    );
  });

  it('concurrent resumes from the same id share one XRANGE; a full page is kept for the next', async () => {
    await withBroker('coalesce', { windowEntries: 0 }, 30, async ({ broker, ids, xranges }) => {
      const reads = await Promise.all(
        Array.from({ length: 50 }, () => broker.readAfter(ids[0]!, 10)),
      );
      assert.deepEqual(idsOf(reads[0]!), ids.slice(1, 11));
      assert.ok(reads.every((r) => r === reads[0]));
      assert.equal(await xranges(), 1, 'one read for 50 resumes');
      // The page is full, so it cannot change: the next resume over it reads nothing.
      assert.equal(await broker.readAfter(ids[0]!, 10), reads[0]);
      assert.equal(await xranges(), 1);

      // The page at the head is not full (more may come): each read goes to Redis.
      assert.deepEqual(idsOf(await broker.readAfter(ids[25]!, 10)), ids.slice(26));
      const next = await broker.append('t0', { data: 'next' });
      assert.deepEqual(idsOf(await broker.readAfter(ids[25]!, 10)), [...ids.slice(26), next]);
      assert.equal(await xranges(), 3);
    });
  });
});
