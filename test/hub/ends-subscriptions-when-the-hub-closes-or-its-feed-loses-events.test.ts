import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BrokerEntry, Hub, type HubBroker, MemoryBroker, type StoredEvent } from 'herald';
import { ResumingClient } from '../support/resuming-client.js';
import { startHubApp } from './support/hub-app.js';

/**
 * The in-memory broker, plus a switch that loses entries as a shared broker's feed can (Redis
 * restarted empty): entries appended while "lost" are retained but never delivered live, and the
 * broker reports the hole once, as RedisBroker does through its `lost` callback.
 */
class LossyBroker implements HubBroker {
  readonly inner = new MemoryBroker();
  #lost: ((info: { reason: string; lastId: string }) => void) | undefined;
  #dropping = false;

  start(
    deliver: (entry: BrokerEntry) => void,
    lost?: (info: { reason: string; lastId: string }) => void,
  ): void {
    this.#lost = lost;
    this.inner.start((entry) => {
      if (!this.#dropping) deliver(entry);
    });
  }
  append(topic: string, event: StoredEvent): string {
    return this.inner.append(topic, event);
  }
  readAfter(id: string) {
    return this.inner.readAfter(id);
  }
  readAll() {
    return this.inner.readAll();
  }
  compare(a: string, b: string): number {
    return this.inner.compare(a, b);
  }
  close(): void {
    this.inner.close();
  }
  /** Appends while the feed is down, then reports the hole. */
  loseWhile(fn: () => void): void {
    this.#dropping = true;
    fn();
    this.#dropping = false;
    this.#lost?.({ reason: 'restarted', lastId: 'x' });
  }
}

describe('the hub ends its subscriptions', () => {
  it('on close: server-side iteration completes and connections end cleanly', async () => {
    const hub = new Hub();
    const seen: string[] = [];
    const done = (async () => {
      for await (const e of hub.subscribe('t')) seen.push(String(e.data));
      return 'completed';
    })();
    await hub.publish('t', { data: 'one' });
    await new Promise((r) => setImmediate(r));
    await hub.close();
    assert.equal(await done, 'completed');
    assert.deepEqual(seen, ['one']);
    assert.equal(hub.stats().subscribers, 0);
  });

  it('when the broker loses live events: clients reconnect, and resume without loss or learn of the gap', async () => {
    const broker = new LossyBroker();
    const h = await startHubApp({ broker });
    try {
      const client = new ResumingClient(h.stream('t'));
      await client.connect();
      await h.hub.publish('t', { data: 'before' });
      await client.received(1);
      // These reach the log but not the live feed: without the hub's reaction the client would
      // silently miss them while staying connected.
      broker.loseWhile(() => {
        void h.hub.publish('t', { data: 'lost-1' });
        void h.hub.publish('t', { data: 'lost-2' });
      });
      await client.received(3);
      await h.hub.publish('t', { data: 'after' });
      await client.received(4);
      assert.ok(client.connections >= 2, 'the stream was ended so the client resumed');
      // The log still held them, so the resume by Last-Event-ID replays them: nothing missed.
      assert.deepEqual(
        client.events.map((e) => e.data),
        ['before', 'lost-1', 'lost-2', 'after'],
      );
      client.close();
    } finally {
      await h.close();
    }
  });
});
