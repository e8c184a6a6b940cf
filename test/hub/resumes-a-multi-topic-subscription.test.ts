import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sleep } from '../support/http-server.js';
import { random, ResumingClient } from '../support/resuming-client.js';
import { type HubApp, startHubApp } from './support/hub-app.js';

const TOPICS = ['a', 'b', 'c'];

describe('one client subscribed to topics a and b', () => {
  let h: HubApp;
  before(async () => {
    h = await startHubApp({ history: { maxEvents: 20_000 } });
  });
  after(() => h.close());

  it('resumes with its id after a disconnect and gets the interleaved sequence of a and b exactly', async () => {
    const published: Array<{ topic: string; data: string }> = [];
    const publish = async (from: number, to: number) => {
      for (let n = from; n < to; n++) {
        const topic = TOPICS[n % 3]!;
        await h.hub.publish(topic, { data: `${topic}${n}` });
        published.push({ topic, data: `${topic}${n}` });
      }
    };
    const ours = () => published.filter((e) => e.topic !== 'c').map((e) => e.data);

    const first = new ResumingClient(h.stream(['a', 'b']));
    await first.connect();
    await publish(0, 30);
    await first.received(20);
    first.close();
    await publish(30, 60); // while it is away: a, b and c interleaved
    const resumed = new ResumingClient(h.stream(['a', 'b']));
    resumed.lastId = first.lastId;
    await resumed.connect();
    await resumed.received(20);
    await publish(60, 90);
    await resumed.received(40);
    await sleep(20);
    resumed.close();

    assert.deepEqual(
      [...first.events, ...resumed.events].map((e) => e.data),
      ours(),
    );
    assert.equal(resumed.notices.length, 0);
  });

  it('cut at random points mid-publish, ends with exactly the published a|b sequence', async () => {
    const seed = Number(process.env.HERALD_SEED ?? Date.now() % 1_000_000);
    const rand = random(seed);
    const plan = Array.from({ length: 6000 }, (_, n) => {
      const topic = TOPICS[Math.floor(rand() * 3)]!;
      return { topic, data: `${topic}-${n}` };
    });
    const expected = plan.filter((e) => e.topic !== 'c').map((e) => e.data);
    const cuts = Array.from(
      { length: 5 },
      () => 1 + Math.floor(rand() * (expected.length - 1)),
    ).sort((x, y) => x - y);
    const replayedBefore = h.hub.stats().replayed;
    const client = new ResumingClient(h.stream(['a', 'b']), cuts);
    await client.connect();
    for (let i = 0; i < plan.length; i += 25) {
      for (const e of plan.slice(i, i + 25)) await h.hub.publish(e.topic, { data: e.data });
      await new Promise((r) => setImmediate(r));
    }
    await client.received(expected.length);
    await sleep(20);
    client.close();

    assert.deepEqual(
      client.events.map((e) => e.data),
      expected,
      `seed ${seed}, cuts ${cuts}`,
    );
    assert.equal(client.notices.length, 0);
    assert.ok(client.connections >= 2, `reconnected (${client.connections} connections)`);
    assert.ok(h.hub.stats().replayed > replayedBefore, 'the resumes replayed from history');
  });
});
