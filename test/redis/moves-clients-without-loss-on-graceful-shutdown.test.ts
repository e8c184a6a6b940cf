import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { publish } from './support/cluster.js';
import {
  FailoverClient,
  type GracefulNode,
  startGracefulNode,
  type Visit,
} from './support/failover.js';
import { entriesFor, type Published, readLog, sleep, until, view } from './support/ground-truth.js';
import { dropPrefix, type TestRedis, testRedis, uniquePrefix } from './support/redis-server.js';

const redis: TestRedis = await testRedis();
if (redis.skip) console.log(`# ${redis.skip}`);
const TOPICS = ['a', 'b', 'c'] as const;
const SUBSCRIPTIONS = [['a'], ['b'], ['c'], ['a', 'b'], ['b', 'c'], ['a', 'c'], ['a', 'b', 'c']];
// A deadline no busy machine reaches: the shutdown must finish on its own, well before it.
const SHUTDOWN = { retry: 300, retryJitter: 300, timeout: 30_000 };
/** Clients on the process that shuts down, and on each of the two that stay. */
const ON_A = 300;
const ON_EACH_OTHER = 7;

describe('a Herald process shut down gracefully (SIGTERM) on Redis', { skip: redis.skip }, () => {
  after(() => redis.stop());

  let prefix: string;
  let nodes: GracefulNode[] = [];
  let clients: FailoverClient[] = [];
  before(async () => {
    prefix = uniquePrefix('graceful');
    nodes = await Promise.all([0, 1, 2].map(() => startGracefulNode(redis.url, prefix, SHUTDOWN)));
  });
  after(async () => {
    for (const c of clients) c.close();
    await Promise.all(nodes.map((n) => n.kill()));
    await dropPrefix(redis.url, prefix);
  });

  // Two generous waits (going live, moving) may each take most of a minute on a busy machine.
  it('moves its clients to the others with every event of their topics, once, in order', {
    timeout: 300_000,
  }, async () => {
    const urls = nodes.map((n) => n.url);
    const [a, b, c] = nodes as [GracefulNode, GracefulNode, GracefulNode];
    // Clients resume from a marker, so they miss nothing however long their subscribe takes.
    const marker = await publish(b.url, 'a', 'marker');
    const subscribe = (i: number, node: number) =>
      new FailoverClient(urls, SUBSCRIPTIONS[i % SUBSCRIPTIONS.length]!, node, marker);
    const onA = Array.from({ length: ON_A }, (_, i) => subscribe(i, 0));
    const stay = Array.from({ length: 2 * ON_EACH_OTHER }, (_, i) => subscribe(i, 1 + (i % 2)));
    clients = [...onA, ...stay];

    // Publishers on B and C, without pause, until told to stop.
    const acked: Published[] = [];
    const failed: unknown[] = [];
    let stop = false;
    const publisher = async (node: GracefulNode, p: number) => {
      for (let i = 0; !stop; i++) {
        const topic = TOPICS[i % 3]!;
        const data = `${p}:${i}`;
        try {
          acked.push({ id: await publish(node.url, topic, data), topic, data });
        } catch (err) {
          failed.push(err);
        }
      }
    };
    const publishers = [publisher(b, 1), publisher(b, 2), publisher(c, 3)];
    try {
      await until(
        () => acked.length >= 150 && onA.every((x) => x.events.length >= 5),
        'clients on A to be live mid-stream',
        // 300 clients subscribing and replaying from the marker while publishers run flat out and
        // CI's soak tests share the 2 cores: give them time.
        60_000,
      );

      const sent = Date.now();
      a.child.kill('SIGTERM');
      // Once A has begun closing streams, a late client tries A: refused, it resumes on the next.
      await until(() => onA.some((x) => x.visits[0]!.endedAt !== undefined), 'A to close streams');
      const late = new FailoverClient(urls, ['a', 'b', 'c'], 0, marker);
      clients.push(late);
      const exit = await a.exited;
      const took = exit.at - sent;

      // The signal ended A as it would have without a handler, within its deadline, after the
      // destroy hooks closed the Hub and its Redis broker.
      assert.deepEqual([exit.code, exit.signal], [null, 'SIGTERM']);
      assert.ok(took < SHUTDOWN.timeout / 2, `A exited ${took} ms after SIGTERM`);
      assert.deepEqual(a.reports, [{ hook: 'shutdown', signal: 'SIGTERM', hubClosed: true }]);

      // 300 clients reconnect and replay from Redis while the publishers run flat out.
      await until(() => onA.every((x) => x.streams.length >= 2), 'clients of A to move', 60_000);
      const count = acked.length;
      await until(() => acked.length >= count + 150, 'publishes after the move');
      stop = true;
      await Promise.all(publishers);
      assert.deepEqual(failed, [], 'B and C never refused a publish');

      const truth = await readLog(redis.url, prefix, marker);
      assert.deepEqual(new Set(truth.map((p) => p.id)), new Set(acked.map((p) => p.id)));
      const caughtUp = () =>
        clients.every((x) => x.events.length >= entriesFor(truth, x.topics).length);
      await until(caughtUp, 'every client to catch up');
      await sleep(50);
      // Nothing lost, nothing twice, in order, and no gap notice.
      for (const x of clients) assert.deepEqual(view(x.events), view(entriesFor(truth, x.topics)));

      for (const x of onA) {
        const [first, second] = x.streams as [Visit, Visit];
        // A ended A's stream cleanly with a retry hint in the configured range ...
        assert.equal(first.node, 0);
        assert.equal(first.outcome, 'end');
        const { retry, retryJitter } = SHUTDOWN;
        assert.ok(first.retry! >= retry && first.retry! <= retry + retryJitter, `${first.retry}`);
        // ... and the client, after waiting that long, continued on B or C and stayed there.
        const next = x.visits[x.visits.indexOf(first) + 1]!;
        assert.notEqual(next.node, 0);
        assert.equal(second.node, next.node);
        assert.equal(x.streams.length, 2);
      }
      const hints = new Set(onA.map((x) => x.streams[0]!.retry));
      assert.ok(hints.size > 20, `${hints.size} distinct hints: reconnects spread`);
      assert.ok(
        stay.every((x) => x.visits.length === 1),
        'clients of B and C stay connected',
      );
      assert.notEqual(late.streams[0]?.node, 0, 'A accepted no new stream once shutting down');
      console.log(
        `# SIGTERM to exit ${took} ms; ${clients.length} clients, ${truth.length} events`,
      );
    } finally {
      stop = true;
      await Promise.all(publishers);
    }
  });
});
