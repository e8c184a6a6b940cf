import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { RedisBroker } from 'herald/redis';
import { Redis } from 'ioredis';
import { dropPrefix, testRedis, uniquePrefix } from './support/redis-server.js';

const redis = await testRedis();

async function withBroker(
  name: string,
  options: { maxLen?: number; batch?: number },
  body: (broker: RedisBroker, prefix: string) => Promise<void>,
): Promise<void> {
  const prefix = uniquePrefix(name);
  const broker = new RedisBroker({ url: redis.url, prefix, ...options });
  try {
    await broker.start(() => {});
    await body(broker, prefix);
  } finally {
    await broker.close();
    await dropPrefix(redis.url, prefix);
  }
}

async function appendMany(broker: RedisBroker, n: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) => broker.append(`t${i % 3}`, { data: String(i) })),
  );
}

describe('readAfter replays what a Last-Event-ID missed, or reports a gap', {
  skip: redis.skip,
}, () => {
  after(() => redis.stop());

  it('replays every later entry, all topics, oldest first; nothing after the head', async () => {
    await withBroker('ok', {}, async (broker) => {
      const ids = await appendMany(broker, 5);
      const r = await broker.readAfter(ids[1]!);
      assert.equal(r.kind, 'ok');
      assert.deepEqual(r.kind === 'ok' && r.entries.map((e) => [e.id, e.topic, e.event.data]), [
        [ids[2], 't2', '2'],
        [ids[3], 't0', '3'],
        [ids[4], 't1', '4'],
      ]);
      assert.deepEqual(await broker.readAfter(ids[4]!), { kind: 'ok', entries: [] });
    });
  });

  it('replays a long history in pages, without a hole or a duplicate', async () => {
    await withBroker('pages', { batch: 7 }, async (broker) => {
      const ids = await appendMany(broker, 100);
      const r = await broker.readAfter(ids[0]!);
      assert.equal(r.kind, 'ok');
      assert.deepEqual(r.kind === 'ok' && r.entries.map((e) => e.id), ids.slice(1));
    });
  });

  it('reports a gap for an id older than what trimming kept, with the oldest and newest ids', async () => {
    // MAXLEN ~ trims whole radix-tree nodes (100 entries by default), so add a few hundred.
    await withBroker('trimmed', { maxLen: 10 }, async (broker, prefix) => {
      const ids: string[] = [];
      for (let i = 0; i < 350; i++) ids.push(await broker.append('t', { data: String(i) }));
      const admin = new Redis(redis.url);
      const first = (
        (await admin.xrange(`${prefix}:log`, '-', '+', 'COUNT', 1)) as [string, string[]][]
      )[0]![0];
      admin.disconnect();
      const firstIndex = ids.indexOf(first);
      assert.ok(firstIndex > 0, 'some entries were trimmed');
      assert.deepEqual(await broker.readAfter(ids[0]!), {
        kind: 'gap',
        oldestId: first,
        headId: ids[349],
      });
      // The newest trimmed id too: Redis does not record which id trimming removed last.
      assert.deepEqual(await broker.readAfter(ids[firstIndex - 1]!), {
        kind: 'gap',
        oldestId: first,
        headId: ids[349],
      });
      const fromFirst = await broker.readAfter(first);
      assert.deepEqual(fromFirst.kind === 'ok' && fromFirst.entries.length, 349 - firstIndex);
    });
  });

  it('reports a gap for unknown, malformed and newer-than-head ids', async () => {
    await withBroker('unknown', {}, async (broker) => {
      const ids = await appendMany(broker, 3);
      const gap = { kind: 'gap', oldestId: ids[0], headId: ids[2] };
      const [ms, seq] = ids[1]!.split('-');
      const unknown = [
        `${ms}-${Number(seq) + 1000}`, // inside the retained range, never handed out
        `${BigInt(ms!) - 1000n}-0`, // older than the stream, nothing trimmed: not one of ours
        `${BigInt(ms!) + 10_000_000n}-0`, // newer than the head (e.g. from a Redis that restarted)
        '18446744073709551615-18446744073709551615',
      ];
      const malformed = [
        '',
        'abc',
        '1-',
        '-1',
        '1',
        '01-1',
        '1-1-1',
        ' 1-1',
        '0-0',
        '18446744073709551616-0',
        'memory-42',
      ];
      for (const id of [...unknown, ...malformed])
        assert.deepEqual(await broker.readAfter(id), gap, `id ${JSON.stringify(id)}`);
    });
  });

  it('reports a gap with no ids when the stream does not exist (nothing published, or Redis came back empty)', async () => {
    await withBroker('empty', {}, async (broker) => {
      assert.deepEqual(await broker.readAfter('1700000000000-0'), {
        kind: 'gap',
        oldestId: null,
        headId: null,
      });
      assert.deepEqual(await broker.readAfter('nonsense'), {
        kind: 'gap',
        oldestId: null,
        headId: null,
      });
      assert.deepEqual(await broker.readAll(), []);
    });
  });
});
