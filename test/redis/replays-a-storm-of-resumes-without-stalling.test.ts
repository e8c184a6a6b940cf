import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compareStreamIds } from 'herald/redis';
import { type HeraldNode, publish, startNode } from './support/cluster.js';
import { FailoverClient } from './support/failover.js';
import { entriesFor, type Published, readLog, sleep, until, view } from './support/ground-truth.js';
import { type LatencyProbe, startProbe } from './support/latency-probe.js';
import { dropPrefix, type TestRedis, testRedis, uniquePrefix } from './support/redis-server.js';

const redis: TestRedis = await testRedis();
if (redis.skip) console.log(`# ${redis.skip}`);
const TOPICS = ['a', 'b', 'c'] as const;
const SUBSCRIPTIONS = [['a'], ['b'], ['c'], ['a', 'b'], ['b', 'c'], ['a', 'c'], ['a', 'b', 'c']];
const CLIENTS = 1000;
/** How far back the clients resume: the backlog each one must replay before it is live. */
const BACKLOG_MS = 3000;
/**
 * The worst a ping may wait while the storm is replayed. Generous, for a loaded 2-core CI machine
 * (the two processes, Redis, the probe and 1,000 clients share it); before resumes shared their
 * reads and frames, this machine measured stalls of several seconds per process.
 */
const WORST_PING_MS = 5000;
const payload = 'x'.repeat(100);

describe('a storm of resumes on two Redis-backed processes', { skip: redis.skip }, () => {
  after(() => redis.stop());

  let prefix: string;
  let nodes: HeraldNode[] = [];
  let clients: FailoverClient[] = [];
  let probe: LatencyProbe | undefined;
  before(async () => {
    prefix = uniquePrefix('storm');
    nodes = await Promise.all([0, 1].map(() => startNode(redis.url, prefix)));
  });
  after(async () => {
    for (const c of clients) c.close();
    await probe?.stop().catch(() => {});
    await Promise.all(nodes.map((n) => n.kill()));
    await dropPrefix(redis.url, prefix);
  });

  it(`${CLIENTS} clients resuming at once with ${BACKLOG_MS / 1000} s of backlog: every event once, in order, and pings keep being answered`, async () => {
    const urls = nodes.map((n) => n.url);
    probe = await startProbe(urls);
    const marker = await publish(urls[0]!, 'a', 'marker');

    // Publishers on both processes, a steady few hundred events a second, until told to stop.
    const acked: Published[] = [];
    const failed: unknown[] = [];
    let stop = false;
    const publisher = async (p: number) => {
      for (let i = 0; !stop; i++) {
        const topic = TOPICS[(i + p) % TOPICS.length]!;
        const data = `${p}:${i}:${payload}`;
        try {
          acked.push({ id: await publish(urls[p % 2]!, topic, data), topic, data });
        } catch (err) {
          failed.push(err);
        }
        await sleep(10);
      }
    };
    const publishers = [0, 1, 2, 3].map(publisher);
    try {
      await sleep(BACKLOG_MS);
      // What each subscription must have received to have caught up with the backlog.
      const backlog = acked.length;
      const lastOf = SUBSCRIPTIONS.map((topics) => entriesFor(acked, topics).at(-1)!.id);
      const started = Date.now();
      clients = Array.from(
        { length: CLIENTS },
        (_, i) => new FailoverClient(urls, SUBSCRIPTIONS[i % SUBSCRIPTIONS.length]!, i % 2, marker),
      );
      const replayed = until(
        () =>
          clients.every(
            (c, i) =>
              c.lastEventId !== marker &&
              c.lastEventId !== undefined &&
              compareStreamIds(c.lastEventId, lastOf[i % SUBSCRIPTIONS.length]!) >= 0,
          ),
        'every client to replay its backlog',
        60_000,
      ).then(
        () => Date.now() - started,
        (err: Error) => err,
      );
      const caughtUp = await replayed;
      // The figures, whatever the outcome (they are what this test is for).
      const report = await probe.stop();
      probe = undefined;
      console.log(
        `# ${CLIENTS} clients, backlog ${backlog} events (${BACKLOG_MS} ms); ` +
          `caught up in ${typeof caughtUp === 'number' ? `${caughtUp} ms` : 'more than 60 s'}; ` +
          `worst ping per process ${report.worst.join(' / ')} ms ` +
          `(${report.pings.join(' / ')} pings, ${report.failed.join(' / ')} failed)`,
      );
      if (caughtUp instanceof Error) throw caughtUp;
      // Live for a while longer, then stop.
      await sleep(1000);
      stop = true;
      await Promise.all(publishers);
      assert.deepEqual(failed, [], 'no publish was refused');

      const truth = await readLog(redis.url, prefix, marker);
      assert.deepEqual(
        truth.map((p) => p.id),
        acked.map((p) => p.id).sort(compareStreamIds),
      );
      await until(
        () => clients.every((c) => c.events.length >= entriesFor(truth, c.topics).length),
        'every client to receive every event',
        30_000,
      );
      await sleep(50);
      for (const c of clients) {
        // Every event of its topics after the marker, once, in order; one stream, no gap notice.
        assert.deepEqual(view(c.events), view(entriesFor(truth, c.topics)));
        assert.equal(c.visits.length, 1);
      }
      const worst = Math.max(...report.worst);
      assert.deepEqual(report.failed, [0, 0], 'every ping was answered');
      assert.ok(worst < WORST_PING_MS, `a ping waited ${worst} ms`);
    } finally {
      stop = true;
      await Promise.all(publishers);
    }
  });
});
