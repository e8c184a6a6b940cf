import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { type BrokerEntry, Hub, type HubBroker, MemoryBroker, type StoredEvent } from 'herald';
import { sleep } from '../support/http-server.js';
import { ResumingClient } from '../support/resuming-client.js';
import { type HubApp, startHubApp } from './support/hub-app.js';

const PAYLOAD = 'p'.repeat(1000);
const TOPICS = ['x', 'y', 'z'];

describe('events published while a replay is running', () => {
  let h: HubApp | undefined;
  afterEach(() => h?.close());

  /** Resumes a client 6,700 events back and publishes 3,000 more while its replay goes out. */
  async function resumeDuringPublishing(maxPendingBytes: number): Promise<void> {
    h = await startHubApp({ history: { maxEvents: 20_000 } }, { sse: { maxPendingBytes } });
    const hub = h.hub;
    // Topic `z` is published but not subscribed: the replay skips it, the live feed never sends it.
    const topicOf = (n: number) => TOPICS[(n * 5 + (n >> 2)) % 3]!;
    const published: Array<{ topic: string; data: string }> = [];
    const publish = async (n: number) => {
      const event = { topic: topicOf(n), data: `${n} ${PAYLOAD}` };
      await hub.publish(event.topic, { data: event.data });
      published.push(event);
    };
    for (let n = 0; n < 9000; n++) await publish(n);
    const resumeAt = published.findIndex((e) => e.topic === 'x');
    const ids = hub.broker.readAll() as ReadonlyArray<{ id: string }>;
    const backlog = published.slice(resumeAt + 1).filter((e) => e.topic !== 'z').length;

    const client = new ResumingClient(h.stream(['x', 'y']));
    client.lastId = ids[resumeAt]!.id;
    await client.connect();
    // Publish while the multi-megabyte replay goes out at the socket's pace, noting how far the
    // client had got each time.
    let duringReplay = 0;
    for (let n = 9000; n < 12_000; n++) {
      await publish(n);
      if (client.events.length < backlog) duringReplay++;
      if (n % 50 === 49) await new Promise((r) => setImmediate(r));
    }
    const expected = published.slice(resumeAt + 1).filter((e) => e.topic !== 'z');
    await client.received(expected.length);
    await sleep(30);
    client.close();

    assert.ok(duringReplay >= 100, `${duringReplay} events were published during the replay`);
    assert.equal(client.connections, 1, 'the replay was paced, not cut');
    assert.equal(client.notices.length, 0);
    assert.equal(client.events.length, expected.length, 'no duplicates');
    assert.deepEqual(
      client.events.map((e) => e.data),
      expected.map((e) => e.data),
    );
    assert.equal(hub.stats().droppedConnections, 0);
  }

  it('reach the resuming client exactly once, in order, after the replayed ones', () =>
    resumeDuringPublishing(1024 * 1024));

  // What is published during the replay (~190 KiB here) also goes at the socket's pace, not in
  // one burst when the replay ends.
  it('do not get a paced resume cut under a smaller maxPendingBytes', () =>
    resumeDuringPublishing(128 * 1024));

  it('are not doubled when the broker reads the replay after they were delivered live', async () => {
    // A broker whose replay read resolves later (as a networked one does): entries published
    // meanwhile reach the subscriber live *and* are in the replay; the hub must send them once.
    const inner = new MemoryBroker({ maxEvents: 1000 });
    const broker: HubBroker = {
      start: (deliver: (entry: BrokerEntry) => void) => inner.start(deliver),
      append: (topic: string, event: StoredEvent) => inner.append(topic, event),
      readAfter: async (id: string) => {
        await sleep(30);
        return inner.readAfter(id);
      },
      readAll: () => inner.readAll(),
      compare: (a: string, b: string) => inner.compare(a, b),
      close: () => inner.close(),
    };
    const hub = new Hub({ broker });
    const ids: string[] = [];
    for (let n = 0; n < 10; n++) ids.push(await hub.publish('t', { data: `${n}` }));
    const got: string[] = [];
    const subscription = hub.subscribe('t', { lastEventId: ids[4] }).subscribe({
      next: (e) => got.push(String(e.data)),
    });
    for (let n = 10; n < 20; n++) await hub.publish('t', { data: `${n}` });
    await sleep(50);
    for (let n = 20; n < 25; n++) await hub.publish('t', { data: `${n}` });
    // The replay catches up through one more (slow) read of the log before going live.
    for (const end = Date.now() + 30_000; got.length < 20 && Date.now() < end; ) await sleep(10);
    await sleep(50);
    subscription.unsubscribe();
    await hub.close();
    assert.deepEqual(
      got,
      Array.from({ length: 20 }, (_, i) => `${i + 5}`),
    );
  });
});
