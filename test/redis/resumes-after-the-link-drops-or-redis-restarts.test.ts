import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { BrokerEntry } from '#herald/hub/broker.js';
import { type FeedGap, RedisBroker } from 'herald/redis';
import { Redis } from 'ioredis';
import {
  dropPrefix,
  hasRedisServer,
  RedisServer,
  testRedis,
  uniquePrefix,
} from './support/redis-server.js';

const redis = await testRedis();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 30_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** How long a command may take before the broker gives up on it. */
const COMMAND_TIMEOUT_MS = 5_000;

/** A broker and what its feed delivered (one process's view). */
async function node(url: string, prefix: string) {
  const seen: BrokerEntry[] = [];
  /** Loss markers the feed delivered (a floor: `gap` is the id it floors). */
  const markers: BrokerEntry[] = [];
  const gaps: FeedGap[] = [];
  /** What the broker told the hub it lost (the hub then ends its subscribers' streams). */
  const lost: string[] = [];
  const broker = new RedisBroker({
    url,
    prefix,
    onFeedGap: (g) => gaps.push(g),
    connectTimeoutMs: 2000,
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
  });
  await broker.start(
    (e) => (e.gap === undefined ? seen : markers).push(e),
    (gap) => lost.push(gap.reason),
  );
  return { broker, seen, markers, gaps, lost, ids: () => seen.map((e) => e.id) };
}

/** Waits until `count` feed connections of `prefix` are connected, then kills them. */
async function killFeeds(url: string, prefix: string, count: number): Promise<void> {
  const admin = new Redis(url);
  try {
    let ids: string[] = [];
    await until(async () => {
      const list = String(await admin.client('LIST')).split('\n');
      ids = list
        .filter((l) => l.includes(` name=${prefix}:feed `))
        .map((l) => /id=(\d+)/.exec(l)![1]!);
      return ids.length === count;
    }, `${count} feed connections`);
    for (const id of ids) await admin.client('KILL', 'ID', id);
  } finally {
    admin.disconnect();
  }
}

describe('the live feed resumes after the link drops or Redis restarts', {
  skip: redis.skip,
}, () => {
  after(() => redis.stop());

  // Each test bounded on its own, so a hang names its test rather than the file.
  it('a dropped link resumes from the last id seen: nothing lost, nothing twice, no gap reported', {
    timeout: 60_000,
  }, async () => {
    const prefix = uniquePrefix('link-drop');
    const a = await node(redis.url, prefix);
    const b = await node(redis.url, prefix);
    try {
      const published: string[] = [];
      let stop = false;
      const publisher = (async () => {
        for (let i = 0; i < 300 && !stop; i++) {
          published.push(await a.broker.append(`t${i % 2}`, { data: String(i) }));
          if (i % 20 === 0) await sleep(2);
        }
      })();
      try {
        for (let k = 0; k < 3; k++) {
          await sleep(15);
          await killFeeds(redis.url, prefix, 2);
        }
      } finally {
        stop = true;
        await publisher;
      }
      await until(
        () => a.seen.length >= published.length && b.seen.length >= published.length,
        'both feeds to catch up',
      );
      await sleep(30);
      assert.deepEqual(a.ids(), published);
      assert.deepEqual(b.ids(), published);
      assert.deepEqual([...a.gaps, ...b.gaps], []);
    } finally {
      await Promise.all([a.broker.close(), b.broker.close()]);
      await dropPrefix(redis.url, prefix);
    }
  });

  it('a stream that came back with lower ids is not read again: reported as rewound, and Redis hands out ids above the last delivered', {
    timeout: 60_000,
  }, async () => {
    const prefix = uniquePrefix('backwards');
    const a = await node(redis.url, prefix);
    const admin = new Redis(redis.url);
    try {
      const before = await a.broker.append('t', { data: 'old' });
      await until(() => a.seen.length === 1, 'the first entry');
      // What a Redis restored from an older snapshot (or whose clock went back) would hold.
      await admin.del(`${prefix}:log`);
      await admin.xadd(`${prefix}:log`, '5-1', 't', 't', 'e', JSON.stringify({ data: 'new 1' }));
      await admin.xadd(`${prefix}:log`, '5-2', 't', 't', 'e', JSON.stringify({ data: 'new 2' }));
      await killFeeds(redis.url, prefix, 1);
      await until(() => a.gaps.length === 1, 'the gap to be reported');
      assert.deepEqual(a.gaps, [{ reason: 'rewound', lastId: before }]);
      assert.deepEqual(a.lost, ['rewound'], 'the hub is told, so its clients resume by id');
      const next = await a.broker.append('t', { data: 'after' });
      assert.ok(a.broker.compare(next, before) > 0, `${next} > ${before}`);
      await until(() => a.seen.length === 2, 'the next entry');
      // Nothing at or below what was delivered comes again; ids only go up.
      assert.deepEqual(a.ids(), [before, next]);
      // The floor came through the feed as a loss marker naming `before`, between the two.
      assert.deepEqual(
        a.markers.map((m) => m.gap),
        [before],
      );
      assert.ok(a.broker.compare(a.markers[0]!.id, next) < 0);
      // A client at `before` is told of the gap, with a head above it ...
      assert.deepEqual(await a.broker.readAfter(before), {
        kind: 'gap',
        oldestId: '5-1',
        headId: next,
      });
      // ... and the id just above `before` (the floor; a notice's id when nothing came after)
      // resumes without another notice.
      const floor = (await admin.xrange(`${prefix}:log`, `(5-2`, '+', 'COUNT', 1))[0]![0];
      const fromFloor = await a.broker.readAfter(floor);
      assert.deepEqual(fromFloor.kind === 'ok' && fromFloor.entries.map((e) => e.id), [next]);
    } finally {
      admin.disconnect();
      await a.broker.close();
      await dropPrefix(redis.url, prefix);
    }
  });

  it('Redis SIGKILLed and restarted empty: publishes fail fast meanwhile, feeds go on, old ids become gaps', {
    skip: hasRedisServer() ? false : 'no redis-server binary to start and kill',
    timeout: 90_000,
  }, async () => {
    const server = await RedisServer.start();
    const prefix = uniquePrefix('restart');
    const a = await node(server.url, prefix);
    const b = await node(server.url, prefix);
    const ok: string[] = [];
    const failures: { code: string; ms: number }[] = [];
    let stop = false;
    const publisher = (async () => {
      for (let i = 0; !stop; i++) {
        const t0 = Date.now();
        try {
          ok.push(await (i % 2 ? a : b).broker.append('t', { data: String(i) }));
        } catch (err) {
          failures.push({ code: (err as { code: string }).code, ms: Date.now() - t0 });
          await sleep(5);
        }
        if (i % 10 === 0) await sleep(1);
      }
    })();
    try {
      await until(() => ok.length >= 200, 'publishes before the kill');
      await server.kill();
      const killedAt = ok.length;
      await until(() => failures.length >= 5, 'publishes to fail while Redis is down');
      // A resume Redis must answer fails fast; one within what this process's feed delivered
      // recently is answered from memory (see the replay window).
      await assert.rejects(a.broker.readAfter('1-1'), { code: 'BROKER_UNAVAILABLE' });
      const fromMemory = await a.broker.readAfter(a.ids().at(-2)!);
      assert.deepEqual(fromMemory.kind === 'ok' && fromMemory.entries.map((e) => e.id), [
        a.ids().at(-1),
      ]);
      await server.restart();
      await until(() => ok.length >= killedAt + 200, 'publishes after the restart');
      stop = true;
      await publisher;
      await until(
        () =>
          a.seen.length > 0 && b.seen.at(-1)?.id === ok.at(-1) && a.seen.at(-1)?.id === ok.at(-1),
        'feeds to catch up',
      );

      // Each failed at once, not after waiting out a command timeout (or for Redis to return).
      assert.ok(
        failures.every((f) => f.code === 'BROKER_UNAVAILABLE' && f.ms < COMMAND_TIMEOUT_MS / 2),
        JSON.stringify(failures.slice(0, 3)),
      );
      const before = ok.slice(0, killedAt);
      const afterRestart = ok.slice(killedAt);
      assert.ok(
        b.broker.compare(afterRestart[0]!, before.at(-1)!) > 0,
        'ids go on upward after an empty restart',
      );
      for (const n of [a, b]) {
        const ids = n.ids();
        assert.equal(new Set(ids).size, ids.length, 'no duplicate');
        for (let k = 1; k < ids.length; k++)
          assert.ok(n.broker.compare(ids[k - 1]!, ids[k]!) < 0, 'in order');
        // Every publish after the restart, exactly once, in order.
        assert.deepEqual(ids.slice(ids.indexOf(afterRestart[0]!)), afterRestart);
        // Before it: every publish, except at most a tail the old Redis took with it, and then it said so.
        const old = ids.slice(0, ids.indexOf(afterRestart[0]!));
        assert.deepEqual(old, before.slice(0, old.length));
        assert.deepEqual(n.gaps[0], { reason: 'restarted', lastId: old.at(-1) });
        // A tail its publisher had acknowledged and no feed had read is announced by a loss entry,
        // which every feed then reports (a kill between an acknowledgement and its delivery).
        assert.ok(
          n.gaps.slice(1).every((g) => g.reason === 'lost'),
          JSON.stringify(n.gaps),
        );
        assert.equal(n.gaps.length > 1, n.markers.length > 0);
      }
      const markers = new Set([...a.markers, ...b.markers].map((m) => m.id));
      const gap = await a.broker.readAfter(before.at(-1)!);
      assert.equal(gap.kind, 'gap');
      if (gap.kind === 'gap') {
        assert.ok(gap.oldestId === afterRestart[0] || markers.has(gap.oldestId!), gap.oldestId!);
        assert.ok(gap.headId === afterRestart.at(-1) || markers.has(gap.headId!), gap.headId!);
      }
      const resumed = await b.broker.readAfter(afterRestart[0]!);
      assert.deepEqual(
        resumed.kind === 'ok' &&
          resumed.entries.filter((e) => e.gap === undefined).map((e) => e.id),
        afterRestart.slice(1),
      );
    } finally {
      stop = true;
      await publisher;
      await Promise.all([a.broker.close(), b.broker.close()]);
      await server.kill();
    }
  });
});
