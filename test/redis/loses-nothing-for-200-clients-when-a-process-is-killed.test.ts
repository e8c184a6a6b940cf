import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type HeraldNode, publish, startNode } from './support/cluster.js';
import { FailoverClient } from './support/failover.js';
import { entriesFor, type Published, readLog, sleep, until, view } from './support/ground-truth.js';
import { dropPrefix, type TestRedis, testRedis, uniquePrefix } from './support/redis-server.js';

const redis: TestRedis = await testRedis();
if (redis.skip) console.log(`# ${redis.skip}`);
const TOPICS = ['a', 'b', 'c', 'd'] as const;
const SUBSCRIPTIONS = [['a'], ['b'], ['c'], ['d'], ['a', 'b'], ['c', 'd'], ['a', 'b', 'c', 'd']];
const CLIENTS = 200;

describe('a Herald process SIGKILLed under 200 clients on Redis', { skip: redis.skip }, () => {
  after(() => redis.stop());

  let prefix: string;
  let nodes: HeraldNode[] = [];
  let clients: FailoverClient[] = [];
  before(async () => {
    prefix = uniquePrefix('kill-at-scale');
    nodes = await Promise.all([0, 1, 2].map(() => startNode(redis.url, prefix)));
  });
  after(async () => {
    for (const c of clients) c.close();
    await Promise.all(nodes.map((n) => n.kill()));
    await dropPrefix(redis.url, prefix);
  });

  it('its clients resume on the others from Redis history: every event once, in order', async () => {
    const urls = nodes.map((n) => n.url);
    const marker = await publish(urls[0]!, 'a', 'marker');
    clients = Array.from(
      { length: CLIENTS },
      (_, i) => new FailoverClient(urls, SUBSCRIPTIONS[i % SUBSCRIPTIONS.length]!, i % 3, marker),
    );
    const killed = clients.filter((_, i) => i % 3 === 2);

    // A publisher on every process; the one on the killed process stops at its first failure.
    const acked: Published[] = [];
    const failed: string[] = [];
    let stop = false;
    const publisher = async (node: number) => {
      for (let i = 0; !stop; i++) {
        const topic = TOPICS[(i + node) % TOPICS.length]!;
        const data = `${node}:${i}`;
        try {
          acked.push({ id: await publish(urls[node]!, topic, data), topic, data });
        } catch {
          failed.push(data);
          if (node === 2) return;
        }
      }
    };
    const publishers = [0, 0, 1, 2].map(publisher);
    try {
      await until(
        () => acked.length >= 150 && clients.every((c) => c.events.length >= 3),
        'every client live mid-stream',
      );
      await nodes[2]!.kill();
      const count = acked.length;
      await until(() => killed.every((c) => c.streams.length >= 2), 'clients to resume', 60_000);
      await until(() => acked.length >= count + 200, 'publishes after the kill');
      stop = true;
      await Promise.all(publishers);
      assert.ok(
        failed.every((d) => d.startsWith('2:')),
        `failed: ${failed}`,
      );

      // The truth is the log: a publish in flight on the killed process may be there unanswered.
      const truth = await readLog(redis.url, prefix, marker);
      const inLog = new Set(truth.map((p) => p.id));
      assert.ok(
        acked.every((p) => inLog.has(p.id)),
        'every acknowledged publish is in the log',
      );
      const expected = (c: FailoverClient) => entriesFor(truth, c.topics);
      await until(
        () => clients.every((c) => c.events.length >= expected(c).length),
        'every client to catch up',
      );
      await sleep(50);
      for (const c of clients) assert.deepEqual(view(c.events), view(expected(c)));

      for (const [i, c] of clients.entries()) {
        if (i % 3 !== 2) assert.equal(c.visits.length, 1, 'the others stay connected');
        else assert.notEqual(c.streams[1]!.node, 2, 'resumed on a living process');
      }
      console.log(`# ${CLIENTS} clients, ${killed.length} moved, ${truth.length} events`);
    } finally {
      stop = true;
      await Promise.all(publishers);
    }
  });
});
