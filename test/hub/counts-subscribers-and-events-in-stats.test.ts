import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sleep, until } from '../support/http-server.js';
import { ResumingClient } from '../support/resuming-client.js';
import { type HubApp, startHubApp } from './support/hub-app.js';

describe('hub.stats()', () => {
  let h: HubApp;
  before(async () => {
    h = await startHubApp();
  });
  after(() => h.close());

  it('counts subscribers per topic, published, received, delivered, replayed and gaps', async () => {
    assert.deepEqual(h.hub.stats(), {
      topics: {},
      subscribers: 0,
      published: 0,
      received: 0,
      delivered: 0,
      replayed: 0,
      gaps: 0,
      droppedConnections: 0,
      runs: { active: 0, retained: 0 },
    });
    const onA = new ResumingClient(h.stream('a'));
    const onAB = new ResumingClient(h.stream(['a', 'b']));
    await Promise.all([onA.connect(), onAB.connect()]);
    await until(() => h.hub.stats().subscribers === 2, 'two subscribers');
    assert.deepEqual(h.hub.stats().topics, { a: 2, b: 1 });

    for (const d of ['a1', 'a2', 'a3']) await h.hub.publish('a', { data: d });
    const b1 = await h.hub.publish('b', { data: 'b1' });
    await h.hub.publish('b', { data: 'b2' });
    await h.hub.publish('c', { data: 'nobody listens' });
    await onA.received(3);
    await onAB.received(5);
    let stats = h.hub.stats();
    assert.equal(stats.published, 6);
    assert.equal(stats.received, 6);
    assert.equal(stats.delivered, 3 * 2 + 2 * 1, 'one per subscriber per event of its topics');
    assert.equal(stats.replayed, 0);

    const resumed = new ResumingClient(h.stream('b'));
    resumed.lastId = b1;
    await resumed.connect();
    await resumed.received(1);
    const gapped = new ResumingClient(h.stream('a'));
    gapped.lastId = 'unknown';
    await gapped.connect();
    await until(() => gapped.notices.length === 1, 'the gap notice');
    stats = h.hub.stats();
    assert.equal(stats.replayed, 1, 'b2, replayed after b1');
    assert.equal(stats.delivered, 8 + 1, 'replayed frames count as delivered; the notice does not');
    assert.equal(stats.gaps, 1);
    assert.deepEqual(stats.topics, { a: 3, b: 2 });
    assert.equal(stats.subscribers, 4);

    for (const c of [onA, onAB, resumed, gapped]) c.close();
    await until(() => h.hub.stats().subscribers === 0, 'every subscriber to be removed');
    assert.deepEqual(h.hub.stats().topics, {});
    assert.equal(h.hub.stats().droppedConnections, 0, 'clients that leave are not dropped ones');
  });

  it('counts as delivered only what passes a filter', async () => {
    const before = h.hub.stats().delivered;
    const got: unknown[] = [];
    const subscription = h.hub
      .subscribe('f', { filter: (e) => e.data !== 'skip' })
      .subscribe({ next: (e) => got.push(e.data) });
    for (const d of ['keep', 'skip', 'keep', 'skip']) await h.hub.publish('f', { data: d });
    await sleep(5);
    subscription.unsubscribe();
    assert.deepEqual(got, ['keep', 'keep']);
    assert.equal(h.hub.stats().delivered - before, 2);
    assert.equal(h.hub.stats().subscribers, 0);
  });
});
