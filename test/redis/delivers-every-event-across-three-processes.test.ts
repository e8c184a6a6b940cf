import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compareStreamIds } from 'herald/redis';
import { ClusterClient, type HeraldNode, publish, startNode } from './support/cluster.js';
import { entriesFor, type Published, readLog, sleep, until, view } from './support/ground-truth.js';
import { hasRedisServer, RedisServer, uniquePrefix } from './support/redis-server.js';

const skip = hasRedisServer()
  ? false
  : 'no redis-server installed: the cluster tests start and kill their own';
const TOPICS = ['a', 'b', 'c'] as const;
// Clients' topic sets: single, pairs, all.
const SUBSCRIPTIONS = [
  ['a'],
  ['b'],
  ['c'],
  ['a', 'b'],
  ['b', 'c'],
  ['a', 'c'],
  ['a', 'b', 'c'],
  ['a'],
  ['c'],
];

const mine = (all: readonly Published[], client: ClusterClient) => entriesFor(all, client.topics);

/** Three Herald processes, clients spread over them, publishers on each. */
class Cluster {
  nodes: HeraldNode[] = [];
  clients: ClusterClient[] = [];
  acked: Published[] = [];
  /** When each acknowledged publish (by its data) was acknowledged. */
  ackedAt = new Map<string, number>();
  failed: string[] = [];
  marker = '';
  #stop = false;
  #publishers: Promise<void>[] = [];

  constructor(
    readonly redisUrl: string,
    readonly prefix: string,
  ) {}

  get urls(): string[] {
    return this.nodes.map((n) => n.url);
  }

  async start(): Promise<void> {
    this.nodes = await Promise.all([0, 1, 2].map(() => startNode(this.redisUrl, this.prefix)));
    // Clients resume from a marker, so they miss nothing however long their subscribe takes.
    this.marker = await publish(this.urls[0]!, 'a', 'marker');
    this.clients = SUBSCRIPTIONS.map(
      (topics, i) => new ClusterClient(this.urls, topics, i % 3, this.marker),
    );
  }

  /** Publisher `p` publishes through node `p` until stopped (or `count` events). */
  publishFrom(p: number, count = Number.POSITIVE_INFINITY): void {
    this.#publishers.push(
      (async () => {
        for (let i = 0; i < count && !this.#stop; i++) {
          const topic = TOPICS[(i + p) % 3]!;
          const data = `${p}:${i}`;
          try {
            this.acked.push({ id: await publish(this.urls[p]!, topic, data), topic, data });
            this.ackedAt.set(data, Date.now());
          } catch {
            this.failed.push(data);
            await sleep(20);
          }
          if (i % 5 === 0) await sleep(1);
        }
      })(),
    );
  }

  /** Waits for the publishers (those with a count end by themselves). */
  async finishPublishing(): Promise<void> {
    await Promise.all(this.#publishers);
  }

  async stopPublishing(): Promise<void> {
    this.#stop = true;
    await this.finishPublishing();
  }

  async close(): Promise<void> {
    await this.stopPublishing();
    for (const c of this.clients) c.close();
    await Promise.all(this.nodes.map((n) => n.kill()));
  }
}

describe('three Herald processes on one Redis', { skip }, () => {
  let redis: RedisServer;
  before(async () => {
    redis = await RedisServer.start();
  });
  after(() => redis?.kill());

  it('every client gets every event of its topics exactly once, in order, also when moved to another process', async () => {
    const cluster = new Cluster(redis.url, uniquePrefix('spread'));
    try {
      await cluster.start();
      for (const p of [0, 1, 2]) cluster.publishFrom(p, 150);
      await until(() => cluster.acked.length >= 150, 'a third of the publishes');
      // Mid-stream, five clients leave their process and resume on the next one.
      for (const [i, c] of cluster.clients.slice(0, 5).entries()) c.moveTo((i + 1) % 3);
      await cluster.finishPublishing();
      assert.deepEqual(cluster.failed, []);
      const truth = await readLog(redis.url, cluster.prefix, cluster.marker);
      assert.equal(truth.length, 450);
      assert.deepEqual(new Set(truth.map((p) => p.id)), new Set(cluster.acked.map((p) => p.id)));
      for (const c of cluster.clients) {
        const expected = mine(truth, c);
        await until(() => c.published.length >= expected.length, `client ${c.topics} to catch up`);
        await sleep(50);
        assert.deepEqual(view(c.events), view(expected));
      }
      assert.ok(cluster.clients.slice(0, 5).every((c) => c.connects === 2));
    } finally {
      await cluster.close();
    }
  });

  it('a Herald process SIGKILLed mid-run: its clients resume on the others and end with every event', async () => {
    const cluster = new Cluster(redis.url, uniquePrefix('process-kill'));
    try {
      await cluster.start();
      for (const p of [0, 1, 2]) cluster.publishFrom(p, 120);
      await until(() => cluster.acked.length >= 100, 'publishes before the kill');
      await cluster.nodes[2]!.kill();
      await cluster.finishPublishing();
      // The truth is the log: a publish in flight on the killed process may be in it without an answer.
      const truth = await readLog(redis.url, cluster.prefix, cluster.marker);
      const inLog = new Set(truth.map((p) => p.id));
      assert.ok(cluster.acked.every((p) => inLog.has(p.id)));
      for (const c of cluster.clients) {
        const expected = mine(truth, c);
        await until(() => c.published.length >= expected.length, `client ${c.topics} to catch up`);
        await sleep(50);
        assert.deepEqual(view(c.events), view(expected));
      }
      const moved = cluster.clients.filter((_, i) => i % 3 === 2);
      assert.ok(moved.every((c) => c.connects >= 2));
    } finally {
      await cluster.close();
    }
  });

  it('Redis SIGKILLed and restarted empty mid-run: the documented guarantee, event by event', async () => {
    const cluster = new Cluster(redis.url, uniquePrefix('redis-kill'));
    try {
      await cluster.start();
      for (const p of [0, 1, 2]) cluster.publishFrom(p);
      await until(() => cluster.acked.length >= 150, 'publishes before the kill');
      const killedAt = Date.now();
      const failedBefore = cluster.failed.length;
      await redis.kill();
      // Publishes in flight at the kill settle first (acknowledged or failed): a reply the dead
      // Redis sent just before it died may reach us after the kill. Each publisher is sequential,
      // so once each has had a publish fail, none of its earlier ones is still in flight.
      await until(
        () =>
          cluster.failed.length >= failedBefore + 6 &&
          [0, 1, 2].every((p) =>
            cluster.failed.slice(failedBefore).some((d) => d.startsWith(`${p}:`)),
          ),
        'publishes to fail while Redis is down',
      );
      const old = [...cluster.acked].sort((x, y) => compareStreamIds(x.id, y.id));
      const lastOld = old.at(-1)!.id;
      await redis.restart();
      await until(() => cluster.acked.length >= old.length + 150, 'publishes after the restart');
      await cluster.stopPublishing();

      // 1. Publishes while Redis was down failed (503); ids after the restart go on upward.
      const fresh = cluster.acked
        .filter((p) => compareStreamIds(p.id, lastOld) > 0)
        .sort((x, y) => compareStreamIds(x.id, y.id));
      assert.equal(fresh.length + old.length, cluster.acked.length);
      const truth = await readLog(redis.url, cluster.prefix, '0-0');
      assert.deepEqual(
        view(truth),
        view(fresh),
        'the new stream holds exactly what was acknowledged since',
      );
      const failed = new Set(cluster.failed);
      for (const c of cluster.clients) {
        await until(
          () => c.published.at(-1)?.id === mine(fresh, c).at(-1)!.id,
          `client ${c.topics} to catch up`,
        );
        const got = c.published;
        const cut = got.findIndex((e) => compareStreamIds(e.id!, lastOld) > 0);
        const before = got.slice(0, cut);
        // 2. After the restart: every acknowledged event, once, in order.
        assert.deepEqual(view(got.slice(cut)), view(mine(fresh, c)));
        // 3. Before it: the acknowledged events in order, except at most a short tail the dead Redis took
        //    with it (acknowledged but not yet read by that process); never a duplicate, never out of order.
        const oldMine = mine(old, c).filter((p) => !failed.has(p.data));
        const known = before.filter((e) => !failed.has(e.data));
        assert.deepEqual(view(known), view(oldMine.slice(0, known.length)));
        // The tail is short in time: how many events it holds depends on how fast a busy machine
        // publishes, but each was acknowledged just before the kill (well within 2 s).
        for (const lost of oldMine.slice(known.length)) {
          const age = killedAt - cluster.ackedAt.get(lost.data)!;
          assert.ok(age < 2_000, `lost ${lost.data}, acknowledged ${age} ms before the kill`);
        }
        assert.equal(new Set(got.map((e) => e.data)).size, got.length);
        assert.equal(c.connects, 1, 'live subscribers stay connected through the outage');
      }
      // 4. A client resuming with an id from before the restart is told it missed events: a gap.
      const late = new ClusterClient(cluster.urls, ['a', 'b', 'c'], 1, lastOld);
      cluster.clients.push(late);
      await until(() => late.events.length > 0, 'the gap notice');
      assert.equal(late.events[0]!.type, 'herald:gap');
      assert.equal(
        (JSON.parse(late.events[0]!.data) as { lastEventId: string }).lastEventId,
        lastOld,
      );
      const next = await publish(cluster.urls[2]!, 'b', 'after the gap');
      await until(() => late.events.some((e) => e.id === next), 'a live event after the gap');
    } finally {
      await cluster.close();
    }
  });
});
