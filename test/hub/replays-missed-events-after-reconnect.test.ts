import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, Hub, HubModule, LastEventId, Module, Query, Sse } from 'herald';
import { startApp } from '../app/http/start-app.js';
import { random, ResumingClient } from '../support/resuming-client.js';

@Controller()
class StreamController {
  constructor(private readonly hub: Hub) {}

  @Sse('stream')
  stream(@Query('topics') topics: string, @LastEventId() lastEventId: string | undefined) {
    return this.hub.subscribe(topics.split(','), { lastEventId });
  }
}

@Module({
  imports: [HubModule.forRoot({ history: { maxEvents: 20_000 } })],
  controllers: [StreamController],
})
class AppModule {}

// Eight topics; most clients read one, one in five reads two (multi-topic resume).
const TOPICS = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'];
const CLIENTS = Number(process.env.HERALD_HUB_CLIENTS ?? 1000);
const EVENTS = 10_000;

describe('Last-Event-ID replay', () => {
  let url: string;
  let hub: Hub;
  let close: () => Promise<void>;

  before(async () => {
    const { app, url: base } = await startApp(AppModule, { sse: { heartbeat: false } });
    url = base;
    hub = app.get(Hub);
    close = () => app.close();
  });
  after(() => close());

  it(`${CLIENTS} clients cut off at random points during a ${EVENTS}-event publish end with exactly their topics' sequence`, async () => {
    const seed = Number(process.env.HERALD_SEED ?? Date.now() % 1_000_000);
    const rand = random(seed);
    const published: Array<{ topic: string; data: string }> = [];
    // Pick each event's topic up front, so each client's expected count is known for its cut points.
    const plan = Array.from({ length: EVENTS }, (_, i) => ({
      topic: TOPICS[Math.floor(rand() * TOPICS.length)]!,
      data: `e${i}`,
    }));
    const clients = Array.from({ length: CLIENTS }, () => {
      const first = Math.floor(rand() * TOPICS.length);
      const topics = [TOPICS[first]!];
      if (rand() < 0.2)
        topics.push(
          TOPICS[(first + 1 + Math.floor(rand() * (TOPICS.length - 1))) % TOPICS.length]!,
        );
      const expected = plan.filter((e) => topics.includes(e.topic)).map((e) => e.data);
      // One to three cuts at random points of this client's own sequence.
      const cuts = Array.from(
        { length: 1 + Math.floor(rand() * 3) },
        () => 1 + Math.floor(rand() * (expected.length - 1)),
      ).sort((a, b) => a - b);
      return {
        topics,
        expected,
        client: new ResumingClient(`${url}/stream?topics=${topics.join(',')}`, cuts),
      };
    });
    await Promise.all(clients.map((c) => c.client.connect()));

    // Publish in batches, yielding between them so clients read, get cut and resume meanwhile.
    for (let i = 0; i < EVENTS; i += 50) {
      for (const e of plan.slice(i, i + 50)) {
        await hub.publish(e.topic, { data: e.data });
        published.push(e);
      }
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(clients.map((c) => c.client.received(c.expected.length, 60_000)));
    await new Promise((r) => setTimeout(r, 50));

    let reconnects = 0;
    for (const { client, expected, topics } of clients) {
      reconnects += client.connections - 1;
      assert.equal(client.notices.length, 0, `no gap for ${topics} (seed ${seed})`);
      assert.deepEqual(
        client.events.map((e) => e.data),
        expected,
        `exact sequence for ${topics} (seed ${seed})`,
      );
      client.close();
    }
    assert.ok(
      reconnects >= CLIENTS,
      `every client was cut at least once (${reconnects} reconnects)`,
    );
    const stats = hub.stats();
    assert.equal(stats.published, EVENTS);
    assert.equal(stats.gaps, 0);
    assert.ok(stats.replayed > 0);
  });
});
