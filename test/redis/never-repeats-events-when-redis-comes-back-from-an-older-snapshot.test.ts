import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compareStreamIds } from 'herald/redis';
import { Redis } from 'ioredis';
import { ClusterClient, type HeraldNode, publish, startNode } from './support/cluster.js';
import { entriesFor, type Published, readLog, sleep, until, view } from './support/ground-truth.js';
import { hasRedisServer, RedisServer, uniquePrefix } from './support/redis-server.js';

const GAP_EVENT = 'herald:gap';
const TOPICS = ['a', 'b', 'c'] as const;
const SUBSCRIPTIONS = [['a'], ['b'], ['c'], ['a', 'b'], ['b', 'c'], ['a', 'c'], ['a', 'b', 'c']];
const CLIENTS = 70;
/** Events published in each phase: kept by the snapshot, lost with Redis, after the restore. */
const PHASE = 120;

/** Writes Redis's snapshot now (the server saves nothing on its own). */
async function save(url: string): Promise<void> {
  const conn = new Redis(url);
  try {
    await conn.save();
  } finally {
    conn.disconnect();
  }
}

describe('Redis restored from an older snapshot under live subscribers', {
  skip: hasRedisServer() ? false : 'no redis-server binary to start and kill',
}, () => {
  it('every event once, in order, ids only going up, and one herald:gap where the restored Redis lost entries', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'herald-rdb-'));
    const server = await RedisServer.start({ dir });
    const prefix = uniquePrefix('older-snapshot');
    let nodes: HeraldNode[] = [];
    let clients: ClusterClient[] = [];
    try {
      nodes = await Promise.all([0, 1].map(() => startNode(server.url, prefix)));
      const urls = nodes.map((n) => n.url);
      const marker = await publish(urls[0]!, 'a', 'marker');
      clients = Array.from(
        { length: CLIENTS },
        (_, i) => new ClusterClient(urls, SUBSCRIPTIONS[i % SUBSCRIPTIONS.length]!, i % 2, marker),
      );
      const acked: Published[] = [];
      const publishPhase = async (tag: string) => {
        for (let i = 0; i < PHASE; i++) {
          const topic = TOPICS[i % TOPICS.length]!;
          const data = `${tag}:${i}`;
          acked.push({ id: await publish(urls[i % 2]!, topic, data), topic, data });
        }
      };
      const received = (c: ClusterClient) => c.published.length;
      const due = (c: ClusterClient) => entriesFor(acked, c.topics).length;

      await publishPhase('kept');
      await save(server.url);
      await publishPhase('lost');
      // Every client has every event: what the restore loses is only Redis's copy.
      await until(() => clients.every((c) => received(c) >= due(c)), 'clients to be live');
      await server.kill();
      await assert.rejects(publish(urls[0]!, 'a', 'while Redis is down'));
      await server.restart();
      // Told of the gap (or, without the fix, sent the restored log again: more than was published).
      await until(
        () =>
          clients.every((c) => c.events.some((e) => e.type === GAP_EVENT) || received(c) > due(c)),
        'every client to be told of the gap',
        20_000,
      );
      await publishPhase('after');
      await until(() => clients.every((c) => received(c) >= due(c)), 'clients to catch up');
      await sleep(100);

      const before = acked.slice(0, 2 * PHASE);
      const afterRestore = acked.slice(2 * PHASE);
      // The snapshot really was older: the restored log lacks the second phase.
      const log = await readLog(server.url, prefix, marker);
      assert.deepEqual(
        log.map((p) => p.id),
        [...acked.slice(0, PHASE), ...afterRestore].map((p) => p.id),
      );
      // Ids Redis handed out after the restore are above every id it handed out before.
      assert.ok(compareStreamIds(afterRestore[0]!.id, before.at(-1)!.id) > 0);

      for (const c of clients) {
        const gapAt = c.events.findIndex((e) => e.type === GAP_EVENT);
        const seen = view(c.events);
        assert.ok(gapAt >= 0, `a gap notice: ${seen.slice(0, 3)} ...`);
        // Everything before the crash once, in order; the notice; everything after, once, in order.
        assert.deepEqual(view(c.events.slice(0, gapAt)), view(entriesFor(before, c.topics)));
        assert.deepEqual(view(c.events.slice(gapAt + 1)), view(entriesFor(afterRestore, c.topics)));
        const notice = JSON.parse(c.events[gapAt]!.data) as { lastEventId: string };
        assert.equal(notice.lastEventId, entriesFor(before, c.topics).at(-1)!.id);
        // Ids (the notice's included) only go up: every Last-Event-ID stays ordered and resumable.
        const ids = c.events.map((e) => e.id!);
        for (let k = 1; k < ids.length; k++)
          assert.ok(compareStreamIds(ids[k - 1]!, ids[k]!) < 0, `${ids[k - 1]} < ${ids[k]}`);
      }
      // A client resuming later with a notice's id misses nothing and is not told again.
      const noticeId = clients[0]!.events.find((e) => e.type === GAP_EVENT)!.id!;
      const late = new ClusterClient(urls, TOPICS, 1, noticeId);
      clients.push(late);
      const laterId = await publish(urls[0]!, 'a', 'later');
      await until(() => late.events.at(-1)?.id === laterId, 'the late client to be live');
      assert.deepEqual(view(late.events), view([...afterRestore, { id: laterId, data: 'later' }]));
    } finally {
      for (const c of clients) c.close();
      await Promise.all(nodes.map((n) => n.kill()));
      await server.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
