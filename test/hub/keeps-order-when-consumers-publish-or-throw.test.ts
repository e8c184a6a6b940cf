import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type BrokerEntry,
  Hub,
  type HubBroker,
  MemoryBroker,
  SseServer,
  type StoredEvent,
} from 'herald';
import { startServer, until } from '../support/http-server.js';
import { rawGet } from '../support/raw-client.js';

describe('consumers that publish or throw', () => {
  it('an event published from inside a delivery reaches every subscriber after the one being delivered', async () => {
    const hub = new Hub();
    const sse = new SseServer({ heartbeat: false });
    // A server-side consumer that reacts to `orig` by publishing `derived`, subscribed first.
    hub.subscribe('t').subscribe({
      next: (e) => {
        if (e.data === 'orig') void hub.publish('t', { data: 'derived' });
      },
    });
    const server = await startServer((req, res) => sse.open(req, res, hub.subscribe('t')));
    try {
      const client = await rawGet(server.url, '/');
      await until(() => hub.stats().subscribers === 2, 'the client to subscribe');
      await hub.publish('t', { data: 'orig' });
      await client.waitFor('data: derived');
      const order = [...client.received().matchAll(/data: (\w+)/g)].map((m) => m[1]);
      assert.deepEqual(order, ['orig', 'derived']);
      client.socket.destroy();
    } finally {
      await server.close();
      await hub.close();
    }
  });

  it('a consumer whose next throws loses its own subscription only: the publish resolves and others get the event', async () => {
    const hub = new Hub();
    const got: unknown[] = [];
    const errors: unknown[] = [];
    hub.subscribe('t').subscribe({
      next: (e) => {
        if (e.data === 'two') throw new Error('consumer bug');
      },
      error: (err) => errors.push(err),
    });
    hub.subscribe('t').subscribe({ next: (e) => got.push(e.data) });
    await hub.publish('t', { data: 'one' });
    const id = await hub.publish('t', { data: 'two' });
    assert.ok(id);
    await hub.publish('t', { data: 'three' });
    assert.deepEqual(got, ['one', 'two', 'three']);
    assert.equal((errors[0] as Error).message, 'consumer bug');
    assert.equal(hub.stats().subscribers, 1);
    await hub.close();
  });

  it('a consumer that throws during a page read from an async broker ends its subscription, not the process', async () => {
    const inner = new MemoryBroker({ maxEvents: 1000 });
    const broker: HubBroker = {
      start: (deliver: (entry: BrokerEntry) => void) => inner.start(deliver),
      append: (topic: string, event: StoredEvent) => inner.append(topic, event),
      readAfter: async (id: string, limit?: number) => inner.readAfter(id, limit),
      readAll: () => inner.readAll(),
      compare: (a: string, b: string) => inner.compare(a, b),
      close: () => inner.close(),
    };
    const hub = new Hub({ broker });
    const first = await hub.publish('t', { data: 0 });
    for (let n = 1; n < 300; n++) await hub.publish('t', { data: n });
    const failed = new Promise<unknown>((resolve) => {
      hub.subscribe('t', { lastEventId: first }).subscribe({
        next: (e) => {
          if (e.data === 280) throw new Error('consumer bug on 280'); // on the second page
        },
        error: resolve,
      });
    });
    assert.equal(((await failed) as Error).message, 'consumer bug on 280');
    assert.equal(hub.stats().subscribers, 0);
    await hub.close();
  });
});
