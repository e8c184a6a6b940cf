import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareStreamIds } from 'herald/redis';
import { Redis } from 'ioredis';
import { ClusterClient, type HeraldNode, publish, startNode } from './support/cluster.js';
import { MasterReplica } from './support/master-replica.js';
import { entriesFor, type Published, sleep, until, view } from './support/ground-truth.js';
import { hasRedisServer, uniquePrefix } from './support/redis-server.js';

// A master acknowledges a publish and dies before its replica has it: asynchronous replication
// loses the entry. These tests make that happen on purpose (the replica's link is held while the
// entries are written, then promoted once the master is killed) and check that no client loses an
// event silently: every client gets every event that survived, once, in order, and a `herald:gap`
// where the lost ones were, on every process, including clients whose process never saw them.

const GAP_EVENT = 'herald:gap';
// With 3 shards, `a` and `c` are on different ones: the client of both has a vector position.
const TOPICS = ['a', 'c'] as const;
const SUBSCRIPTIONS = [['a'], ['c'], ['a', 'c']];
const CLIENTS = 12;
const PHASE = 6;

interface Setup {
  redis: MasterReplica;
  nodes: HeraldNode[];
  clients: ClusterClient[];
  urls: string[];
}

/** Publishes, retrying while the node answers 503 (its Redis is failing over). */
async function publishSoon(url: string, topic: string, data: string): Promise<string> {
  const end = Date.now() + 30_000;
  for (;;) {
    try {
      return await publish(url, topic, data);
    } catch (err) {
      if (Date.now() > end) throw err;
      await sleep(100);
    }
  }
}

async function setUp(prefix: string, env: Record<string, string>): Promise<Setup> {
  const redis = await MasterReplica.start(2, prefix);
  const nodes = await Promise.all(
    redis.proxies.map((p) => startNode(p.url, prefix, { COMMAND_TIMEOUT_MS: '2000', ...env })),
  );
  const urls = nodes.map((n) => n.url);
  const marker = await publish(urls[0]!, 'a', 'marker');
  const clients = Array.from(
    { length: CLIENTS },
    (_, i) => new ClusterClient(urls, SUBSCRIPTIONS[i % SUBSCRIPTIONS.length]!, i % 2, marker),
  );
  return { redis, nodes, clients, urls };
}

async function tearDown(s: Setup | undefined): Promise<void> {
  if (s === undefined) return;
  for (const c of s.clients) c.close();
  await Promise.all(s.nodes.map((n) => n.kill()));
  await s.redis.stop();
}

async function publishPhase(s: Setup, tag: string, into: Published[]): Promise<void> {
  for (let i = 0; i < PHASE; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    const data = `${tag}:${i}`;
    into.push({ id: await publishSoon(s.urls[i % 2]!, topic, data), topic, data });
  }
}

/** Publishes the events Redis will keep: every client has them, and so has the replica. */
async function publishKept(s: Setup, kept: Published[]): Promise<void> {
  await publishPhase(s, 'kept', kept);
  // At least: one received twice fails the exact checks below with a diff, not a timeout here.
  await until(
    () => s.clients.every((c) => c.published.length >= entriesFor(kept, c.topics).length),
    'clients to have the kept events',
  ).catch((err: Error) => {
    const counts = s.clients.map(
      (c) => `${c.published.length}/${entriesFor(kept, c.topics).length}`,
    );
    throw new Error(`${err.message}: ${counts.join(' ')}; ${JSON.stringify(s.clients[0]!.events)}`);
  });
  await s.redis.caughtUp();
}

/** Once every client was told, publishes the events after the failover; waits for them all. */
async function toldThenAfter(s: Setup, kept: Published[], after: Published[]): Promise<void> {
  const { clients } = s;
  await until(() => clients.every((c) => gapNotices(c).length > 0), 'every client told', 30_000);
  await publishPhase(s, 'after', after);
  await until(
    () =>
      clients.every((c) => c.published.length >= entriesFor([...kept, ...after], c.topics).length),
    'clients to catch up',
  );
  await sleep(100);
}

/** Runs one failover scenario on its own master, replica and two Herald processes. */
async function scenario(
  name: string,
  body: (
    s: Setup,
    prefix: string,
    phases: { kept: Published[]; lost: Published[]; after: Published[] },
  ) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  const prefix = uniquePrefix(name);
  let s: Setup | undefined;
  try {
    s = await setUp(prefix, env);
    await body(s, prefix, { kept: [], lost: [], after: [] });
  } finally {
    await tearDown(s);
  }
}

/** Loss entries in the log (every shard's stream when sharded). */
async function lossEntries(url: string, prefix: string): Promise<number> {
  const conn = new Redis(url);
  try {
    let n = 0;
    for (const key of await conn.keys(`${prefix}:log*`)) {
      const raw = (await conn.xrange(key, '-', '+')) as [string, string[]][];
      n += raw.filter(([, f]) => f[0] === 'lost').length;
    }
    return n;
  } finally {
    conn.disconnect();
  }
}

function gapNotices(c: ClusterClient): { at: number; reason?: string }[] {
  return c.events.flatMap((e, at) =>
    e.type === GAP_EVENT ? [{ at, ...(JSON.parse(e.data) as { reason?: string }) }] : [],
  );
}

/** `got` holds exactly `due`'s events, in `due`'s order within each topic. */
function assertPerTopic(got: readonly { data: string }[], due: readonly Published[]): void {
  const topicOf = new Map(due.map((p) => [p.data, p.topic]));
  for (const t of new Set(due.map((p) => p.topic))) {
    assert.deepEqual(
      got.filter((e) => topicOf.get(e.data) === t).map((e) => e.data),
      due.filter((p) => p.topic === t).map((p) => p.data),
      `topic ${t}`,
    );
  }
  assert.equal(got.length, due.length, 'nothing else, nothing twice');
}

/** A position as shard -> stream id (one stream: shard `-`). */
function positions(id: string): Map<string, string> {
  if (!id.includes('.')) return new Map([['-', id]]);
  return new Map(id.split(',').map((p) => p.split('.') as [string, string]));
}

/** Positions a client received (the notices' included) only go up, in every shard. */
function assertIdsGoUp(c: ClusterClient): void {
  const ids = c.events.map((e) => e.id!);
  for (let k = 1; k < ids.length; k++) {
    const [a, b] = [positions(ids[k - 1]!), positions(ids[k]!)];
    let up = false;
    for (const [shard, at] of b) {
      const was = a.get(shard);
      if (was === undefined) continue;
      assert.ok(compareStreamIds(was, at) <= 0, `${ids[k - 1]} then ${ids[k]}`);
      if (compareStreamIds(was, at) < 0) up = true;
    }
    assert.ok(up || b.size > a.size, `${ids[k - 1]} then ${ids[k]}: no progress`);
  }
}

describe('Events a Redis failover lost', {
  skip: hasRedisServer() ? false : 'no redis-server binary to start a master and a replica',
}, () => {
  for (const shards of ['1', '3']) {
    it(`acknowledged to a publisher, read by no process: announced to every client as a herald:gap where they were lost (${shards === '1' ? 'one stream' : '3 shards'})`, async () => {
      await scenario(
        'failover-lost',
        async (s, prefix, { kept, lost, after }) => {
          const { clients } = s;
          await publishKept(s, kept);
          // Where a client of both topics was (a vector position over two shards when sharded).
          const position = clients[2]!.lastEventId!;
          // The replica gets nothing more; neither process's feed reads what comes next.
          s.redis.replication.hold('all');
          for (const p of s.redis.proxies) p.hold('feeds');
          // Both processes publish: each is the only one that knows of its own lost entries.
          await publishPhase(s, 'lost', lost);
          await sleep(300);
          assert.ok(clients.every((c) => c.published.length === entriesFor(kept, c.topics).length));
          await s.redis.failOver();
          // Each process finds its acknowledged entries missing and appends a loss entry.
          const end = Date.now() + 30_000;
          while ((await lossEntries(s.redis.replica.url, prefix)) < 2) {
            if (Date.now() > end) throw new Error('no loss entry from each publishing process');
            await sleep(50);
          }
          await toldThenAfter(s, kept, after);
          // Each process counts the publishes it found lost: its own, every one of them.
          for (const [i, url] of s.urls.entries()) {
            const stats = (await (await fetch(`${url}/broker-stats`)).json()) as { lost: number };
            assert.equal(stats.lost, lost.filter((_, k) => k % 2 === i).length, `process ${i}`);
          }
          for (const c of clients) {
            // Every event that survived, once, in order; none of the lost ones (nobody had them).
            // Per topic (shards keep order per topic only), by data (a client of two shards has
            // vector positions as its ids).
            assertPerTopic(c.published, entriesFor([...kept, ...after], c.topics));
            const notices = gapNotices(c);
            const firstAfter = c.events.findIndex((e) => e.data.startsWith('after:'));
            const lastKept = c.events.findLastIndex((e) => e.data.startsWith('kept:'));
            assert.ok(
              notices.some((n) => n.reason === 'lost' && n.at > lastKept && n.at < firstAfter),
              `a 'lost' notice between the kept and the later events: ${JSON.stringify(c.events)}`,
            );
            assertIdsGoUp(c);
          }
          // A client that resumes later from before the loss is told too, then gets the rest.
          const late = new ClusterClient(s.urls, TOPICS, 0, position);
          clients.push(late);
          await until(() => late.published.length === after.length, 'the late client');
          assertPerTopic(late.published, after);
          assert.equal(gapNotices(late)[0]?.reason, 'lost');
          assert.equal(
            late.events.findIndex((e) => e.type === GAP_EVENT),
            0,
          );
        },
        { HERALD_REDIS_SHARDS: shards },
      );
    });
  }

  it('read by one process only: clients of the other process are told, none gets an event twice', async () => {
    await scenario('failover-rewound', async (s, _prefix, { kept, lost, after }) => {
      const { clients } = s;
      await publishKept(s, kept);
      s.redis.replication.hold('all');
      // Process 1's feed does not read what comes next; process 0's does.
      s.redis.proxies[1]!.hold('feeds');
      for (let i = 0; i < PHASE; i++) {
        const topic = TOPICS[i % TOPICS.length]!;
        const data = `lost:${i}`;
        lost.push({ id: await publish(s.urls[0]!, topic, data), topic, data });
      }
      const onNode = (node: number) => clients.filter((_, i) => i % 2 === node);
      await until(
        () =>
          onNode(0).every(
            (c) => c.published.length === entriesFor([...kept, ...lost], c.topics).length,
          ),
        "process 0's clients to have the events Redis will lose",
      );
      assert.ok(
        onNode(1).every((c) => c.published.length === entriesFor(kept, c.topics).length),
        "process 1's clients must not have them yet",
      );
      await s.redis.failOver();
      await toldThenAfter(s, kept, after);
      for (const [i, c] of clients.entries()) {
        const had = i % 2 === 0 ? [...kept, ...lost] : kept;
        // Never twice, never out of order; the lost events only where they were delivered live.
        assert.deepEqual(view(c.published), view(entriesFor([...had, ...after], c.topics)));
        const firstAfter = c.events.findIndex((e) => e.data.startsWith('after:'));
        const lastBefore = c.events.findLastIndex((e) => /^(kept|lost):/.test(e.data));
        assert.ok(
          gapNotices(c).some((n) => n.at > lastBefore && n.at < firstAfter),
          `a notice between the events before and after the failover: ${JSON.stringify(c.events)}`,
        );
        assertIdsGoUp(c);
      }
    });
  });
});
