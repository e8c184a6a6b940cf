import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GAP_EVENT, Hub, type MemoryBroker } from 'herald';
import { sleep, until } from '../support/http-server.js';
import { ResumingClient } from '../support/resuming-client.js';
import { type HubApp, names, publishAll, startHubApp } from './support/hub-app.js';

/** Connects with `lastId` and resolves once the gap notice has arrived. */
async function connectExpectingGap(url: string, lastId: string): Promise<ResumingClient> {
  const client = new ResumingClient(url);
  client.lastId = lastId;
  await client.connect();
  await until(() => client.notices.length > 0, 'the gap notice');
  return client;
}

/**
 * The part common to every gap: after the notice the stream is live, and the notice's id moves
 * the client to now, so a reconnect with it replays what came after, with no second gap.
 */
async function assertLiveThenResumable(
  hub: Hub,
  url: string,
  client: ResumingClient,
  topic: string,
) {
  const notice = client.notices[0]!;
  await hub.publish(topic, { data: 'live' });
  await client.received(1);
  client.close();
  const missed = names('missed', 3);
  await publishAll(hub, topic, missed);

  const next = new ResumingClient(url);
  next.lastId = notice.id;
  await next.connect();
  await next.received(4);
  await hub.publish(topic, { data: 'live-again' });
  await next.received(5);
  next.close();
  assert.deepEqual(
    next.events.map((e) => e.data),
    ['live', ...missed, 'live-again'],
  );
  assert.equal(next.notices.length, 0, 'no second gap');
}

describe('a Last-Event-ID that history does not cover starts the stream with a herald:gap notice', () => {
  let h: HubApp;
  before(async () => {
    h = await startHubApp({ history: { maxEvents: 10 } });
  });
  after(() => h.close());

  it('for an id older than the retained history (more published than maxEvents)', async () => {
    const ids = await publishAll(h.hub, 'old', names('e', 30));
    const gapsBefore = h.hub.stats().gaps;
    const client = await connectExpectingGap(h.stream('old'), ids[4]!);
    const notice = client.notices[0]!;
    assert.equal(notice.type, GAP_EVENT);
    assert.deepEqual(JSON.parse(notice.data), { lastEventId: ids[4], oldestId: ids[20] });
    assert.equal(notice.id, ids[29], 'the notice carries the newest id');
    assert.equal(client.events.length, 0, 'nothing is replayed after a gap');
    assert.equal(h.hub.stats().gaps, gapsBefore + 1);
    await assertLiveThenResumable(h.hub, h.stream('old'), client, 'old');
  });

  it("for an id from a previous process (another in-memory hub's epoch)", async () => {
    const previous = new Hub();
    const foreign = await previous.publish('old', { data: 'from before the restart' });
    await previous.close();
    const head = await h.hub.publish('restart', { data: 'x' });
    const client = await connectExpectingGap(h.stream('restart'), foreign);
    assert.equal(client.notices[0]!.type, GAP_EVENT);
    const data = JSON.parse(client.notices[0]!.data);
    assert.equal(data.lastEventId, foreign);
    assert.equal(typeof data.oldestId, 'string');
    assert.equal(client.notices[0]!.id, head);
    await assertLiveThenResumable(h.hub, h.stream('restart'), client, 'restart');
  });

  for (const [what, make] of [
    ['garbage', () => 'not-an-id'],
    ['a non-numeric sequence', (epoch: string) => `${epoch}-abc`],
    ['a zero-padded sequence', (epoch: string) => `${epoch}-01`],
    ['a sequence not handed out yet', (epoch: string) => `${epoch}-99999999`],
  ] as const) {
    it(`for a malformed or unknown id: ${what}`, async () => {
      const epoch = (h.hub.broker as MemoryBroker).epoch;
      const head = await h.hub.publish('odd', { data: 'x' });
      const id = make(epoch);
      const client = await connectExpectingGap(h.stream('odd'), id);
      assert.equal(client.notices[0]!.type, GAP_EVENT);
      assert.equal(JSON.parse(client.notices[0]!.data).lastEventId, id);
      assert.equal(client.notices[0]!.id, head);
      await assertLiveThenResumable(h.hub, h.stream('odd'), client, 'odd');
    });
  }

  it('streams live events only when the client sends no id', async () => {
    await publishAll(h.hub, 'fresh', names('before', 5));
    const client = new ResumingClient(h.stream('fresh'));
    await client.connect();
    await publishAll(h.hub, 'fresh', names('after', 3));
    await client.received(3);
    await sleep(20);
    client.close();
    assert.deepEqual(
      client.events.map((e) => e.data),
      names('after', 3),
    );
    assert.equal(client.notices.length, 0);
  });

  it("replays every retained event first with replay: 'all', then goes live", async () => {
    const ids = await publishAll(h.hub, 'all', names('r', 12));
    const client = new ResumingClient(h.stream('all', 'replay=all'));
    await client.connect();
    // maxEvents 10 across all topics: the ten newest are retained.
    await client.received(10);
    await h.hub.publish('all', { data: 'live' });
    await client.received(11);
    await sleep(20);
    client.close();
    assert.deepEqual(
      client.events.map((e) => e.data),
      [...names('r', 10, 2), 'live'],
    );
    assert.deepEqual(
      client.events.slice(0, 10).map((e) => e.id),
      ids.slice(2),
    );
    assert.equal(client.notices.length, 0);
  });
});

describe('an id whose events aged out of history (maxAgeMs)', () => {
  // Long enough that what was just published is still young when a client on a busy machine reads
  // it; events are aged out by sleeping past it (timers never fire early).
  const maxAgeMs = 2_000;
  let h: HubApp;
  before(async () => {
    h = await startHubApp({ history: { maxEvents: 100, maxAgeMs } });
  });
  after(() => h.close());

  it('before anything was published: a gap whose id still resumes from the start', async () => {
    const client = await connectExpectingGap(h.stream('aged'), 'from-somewhere-else');
    assert.deepEqual(JSON.parse(client.notices[0]!.data), {
      lastEventId: 'from-somewhere-else',
      oldestId: null,
    });
    await assertLiveThenResumable(h.hub, h.stream('aged'), client, 'aged');
  });

  it('gets a gap with no oldest id once everything after it expired, and resumes from now', async () => {
    const [a] = await publishAll(h.hub, 'aged', ['a', 'b']);
    await sleep(maxAgeMs + 100);
    const client = await connectExpectingGap(h.stream('aged'), a!);
    assert.deepEqual(JSON.parse(client.notices[0]!.data), { lastEventId: a, oldestId: null });
    await assertLiveThenResumable(h.hub, h.stream('aged'), client, 'aged');
  });

  it('replays what is still young and reports a gap only for what expired', async () => {
    const [first] = await publishAll(h.hub, 'young', ['old-1', 'old-2']);
    await sleep(maxAgeMs + 100);
    const fresh = await publishAll(h.hub, 'young', ['new-1', 'new-2']);
    const client = await connectExpectingGap(h.stream('young'), first!);
    assert.deepEqual(JSON.parse(client.notices[0]!.data), {
      lastEventId: first,
      oldestId: fresh[0],
    });
    assert.equal(client.notices[0]!.id, fresh[1]);
    client.close();
    const resumed = new ResumingClient(h.stream('young'));
    resumed.lastId = fresh[0];
    await resumed.connect();
    await resumed.received(1);
    await sleep(20);
    resumed.close();
    assert.deepEqual(
      resumed.events.map((e) => e.data),
      ['new-2'],
    );
    assert.equal(resumed.notices.length, 0);
  });
});
