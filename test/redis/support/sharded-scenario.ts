import assert from 'node:assert/strict';
import { compareStreamIds } from 'herald/redis';
import { ClusterClient, type HeraldNode, publish, startNode } from './cluster.js';
import { sleep, until } from './ground-truth.js';

export const TOPICS = Array.from({ length: 12 }, (_, i) => `topic-${i}`);

/** Clients' topic sets: each topic alone, pairs, a third, all twelve. */
const SUBSCRIPTIONS = [
  ...TOPICS.map((t) => [t]),
  ['topic-0', 'topic-1'],
  ['topic-2', 'topic-7'],
  ['topic-3', 'topic-4', 'topic-5', 'topic-6'],
  TOPICS.filter((_, i) => i % 3 === 0),
  TOPICS,
];

/** A client's starting token: per shard of its topics, the newest marker (ids say the shard). */
function startToken(markers: Map<string, string>, topics: readonly string[]): string {
  const byShard = new Map<string, string>();
  for (const t of topics) {
    const id = markers.get(t)!;
    const [k, at] = id.split('.') as [string, string];
    const prev = byShard.get(k);
    if (prev === undefined || compareStreamIds(at, prev) > 0) byShard.set(k, at);
  }
  return [...byShard]
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([k, at]) => `${k}.${at}`)
    .join(',');
}

/** Two Herald processes on a sharded log, and clients that cut and move at random. */
export async function startProcesses(
  redisUrl: string,
  prefix: string,
  env: Record<string, string>,
): Promise<HeraldNode[]> {
  return Promise.all([0, 1].map(() => startNode(redisUrl, prefix, env)));
}

/**
 * Publishes `perTopic` events on each of the 12 topics through both processes while clients of
 * one or many shards are moved between them at random points (each resuming with its
 * Last-Event-ID), then checks every client got each of its topics' events once, in order, with no
 * gap notice, and ids of the right shape (a scalar on one shard, a vector over several).
 */
export async function everyEventOnceInOrder(nodes: HeraldNode[], perTopic: number): Promise<void> {
  const urls = nodes.map((n) => n.url);
  const markers = new Map<string, string>();
  for (const t of TOPICS) markers.set(t, await publish(urls[0]!, t, 'marker'));
  const clients = SUBSCRIPTIONS.map(
    (topics, i) => new ClusterClient(urls, topics, i % 2, startToken(markers, topics)),
  );
  try {
    let publishing = true;
    const mover = (async () => {
      while (publishing) {
        await sleep(20 + Math.random() * 60);
        const c = clients[Math.floor(Math.random() * clients.length)]!;
        c.moveTo(Math.floor(Math.random() * 2));
      }
    })();
    const lanes = [0, 1, 2, 3].map(async (lane) => {
      for (let i = 0; i < perTopic; i++)
        for (let t = lane; t < TOPICS.length; t += 4)
          await publish(urls[(i + t) % 2]!, TOPICS[t]!, `${TOPICS[t]}:${i}`);
    });
    await Promise.all(lanes);
    publishing = false;
    await mover;
    const want = (c: ClusterClient) => c.topics.length * perTopic;
    await until(
      () => clients.every((c) => c.published.length >= want(c)),
      'every client to get every event',
      90_000,
    );
    await sleep(300);
    for (const c of clients) {
      const what = `client of ${c.topics.join(',')}`;
      assert.deepEqual(
        c.events.filter((e) => e.type !== undefined),
        [],
        `${what}: no notice`,
      );
      const got = new Map<string, number[]>();
      for (const e of c.published) {
        const [topic, n] = e.data.replace(/"/g, '').split(':') as [string, string];
        got.set(topic, [...(got.get(topic) ?? []), Number(n)]);
      }
      for (const t of c.topics)
        assert.deepEqual(got.get(t), [...Array(perTopic).keys()], `${what}: ${t} once, in order`);
      const shards = new Set(c.topics.map((t) => markers.get(t)!.split('.')[0]));
      for (const e of c.published)
        assert.equal(e.id!.includes(','), shards.size > 1, `${what}: id ${e.id}`);
    }
    assert.ok(clients.reduce((n, c) => n + c.connects, 0) > clients.length + 10, 'clients moved');
  } finally {
    for (const c of clients) c.close();
  }
}
