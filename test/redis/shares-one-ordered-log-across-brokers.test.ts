import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { BrokerEntry } from '#herald/hub/broker.js';
import { Redis } from 'ioredis';
import { RedisBroker } from 'herald/redis';
import { dropPrefix, testRedis, uniquePrefix } from './support/redis-server.js';

const redis = await testRedis();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Two brokers on one Redis: what two processes see. */
async function pair(name: string, options: { maxLen?: number; batch?: number } = {}) {
  const prefix = uniquePrefix(name);
  const feeds: BrokerEntry[][] = [[], []];
  const brokers = [0, 1].map(() => new RedisBroker({ url: redis.url, prefix, ...options }));
  await Promise.all(brokers.map((b, i) => b.start((e) => feeds[i]!.push(e))));
  return {
    prefix,
    brokers: brokers as [RedisBroker, RedisBroker],
    feeds: feeds as [BrokerEntry[], BrokerEntry[]],
    close: async () => {
      await Promise.all(brokers.map((b) => b.close()));
      await dropPrefix(redis.url, prefix);
    },
  };
}

describe('a Redis broker shares one ordered log across processes', { skip: redis.skip }, () => {
  after(() => redis.stop());

  it('orders ids numerically, never as strings', () => {
    const b = new RedisBroker({ url: redis.url });
    assert.ok(b.compare('10-0', '9-5') > 0);
    assert.ok(b.compare('1-10', '1-9') > 0);
    assert.ok(b.compare('1700000000000-0', '1700000000000-0') === 0);
    assert.ok(b.compare('18446744073709551615-0', '18446744073709551614-99') > 0);
    assert.ok(b.compare('5-1', '6-0') < 0);
  });

  it('delivers every entry once, in id order, to both feeds, whoever appended it', async () => {
    const { brokers, feeds, close } = await pair('order');
    try {
      const appends: Promise<string>[] = [];
      for (let i = 0; i < 400; i++) {
        const topic = `t${i % 3}`;
        appends.push(brokers[i % 2]!.append(topic, { data: { i }, type: 'n' }));
      }
      const ids = await Promise.all(appends);
      assert.equal(new Set(ids).size, 400);
      await until(() => feeds[0].length >= 400 && feeds[1].length >= 400, 'both feeds');
      await sleep(50);
      for (const feed of feeds) {
        assert.equal(feed.length, 400, 'every entry exactly once');
        for (let k = 1; k < feed.length; k++)
          assert.ok(brokers[0].compare(feed[k - 1]!.id, feed[k]!.id) < 0);
        assert.deepEqual(new Set(feed.map((e) => e.id)), new Set(ids));
      }
      assert.deepEqual(
        feeds[0].map((e) => e.id),
        feeds[1].map((e) => e.id),
      );
      // Each broker's own appends, in the order it issued them, got increasing ids.
      const own = ids.filter((_, i) => i % 2 === 0);
      for (let k = 1; k < own.length; k++) assert.ok(brokers[0].compare(own[k - 1]!, own[k]!) < 0);
      const byId = new Map(feeds[1].map((e) => [e.id, e]));
      const e7 = byId.get(ids[7]!)!;
      assert.equal(e7.topic, 't1');
      assert.deepEqual(e7.event, { data: { i: 7 }, type: 'n' });
    } finally {
      await close();
    }
  });

  it('does not deliver what was appended before start', async () => {
    const prefix = uniquePrefix('before-start');
    const early = new RedisBroker({ url: redis.url, prefix });
    const late = new RedisBroker({ url: redis.url, prefix });
    try {
      await early.start(() => {});
      await early.append('a', { data: 'old' });
      const seen: string[] = [];
      await late.start((e) => seen.push(e.event.data as string));
      await early.append('a', { data: 'new' });
      await until(() => seen.length === 1, 'the new entry');
      await sleep(30);
      assert.deepEqual(seen, ['new']);
    } finally {
      await Promise.all([early.close(), late.close()]);
      await dropPrefix(redis.url, prefix);
    }
  });

  it('readAll returns every retained entry, oldest first, across pages', async () => {
    const { brokers, close } = await pair('read-all', { batch: 7 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++)
        ids.push(await brokers[i % 2]!.append(`t${i % 2}`, { data: String(i) }));
      const all = await brokers[1].readAll();
      assert.deepEqual(
        all.map((e) => e.id),
        ids,
      );
      assert.deepEqual(
        all.map((e) => e.event.data),
        ids.map((_, i) => String(i)),
      );
    } finally {
      await close();
    }
  });

  it('close releases both connections, and the process can exit', async () => {
    const { prefix, brokers, close } = await pair('close');
    const admin = new Redis(redis.url);
    const ours = async () =>
      String(await admin.client('LIST'))
        .split('\n')
        .filter((l: string) => l.includes(`name=${prefix}:`));
    try {
      await brokers[0].append('x', { data: '1' });
      assert.equal((await ours()).length, 4);
      await close();
      // Redis sees the sockets close in its own time.
      for (const end = Date.now() + 30_000; (await ours()).length > 0 && Date.now() < end; )
        await sleep(10);
      assert.deepEqual(await ours(), []);
      await assert.rejects(brokers[0].append('x', { data: '2' }), { code: 'CLOSED' });
    } finally {
      admin.disconnect();
    }
  });

  it('rejects an event that cannot be stored as JSON, before Redis sees it', async () => {
    const b = new RedisBroker({ url: redis.url, prefix: uniquePrefix('invalid') });
    try {
      await assert.rejects(b.append('x', { data: { big: 1n } }), { code: 'INVALID_EVENT' });
    } finally {
      await b.close();
    }
  });
});
