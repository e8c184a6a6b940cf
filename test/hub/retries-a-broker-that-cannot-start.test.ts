import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type BrokerEntry,
  HeraldError,
  Hub,
  type HubBroker,
  MemoryBroker,
  type StoredEvent,
} from 'herald';

/** The in-memory broker behind a start that fails `failures` times, as Redis down at boot does. */
function flakyBroker(failures: number) {
  const inner = new MemoryBroker();
  let starts = 0;
  const broker: HubBroker = {
    start: async (deliver: (entry: BrokerEntry) => void) => {
      starts++;
      if (starts <= failures) throw new HeraldError('BROKER_UNAVAILABLE', 'Redis is unreachable');
      inner.start(deliver);
    },
    append: (topic: string, event: StoredEvent) => inner.append(topic, event),
    readAfter: (id: string, limit?: number) => inner.readAfter(id, limit),
    readAll: () => inner.readAll(),
    compare: (a: string, b: string) => inner.compare(a, b),
    close: () => inner.close(),
  };
  return { broker, starts: () => starts };
}

describe('a broker that cannot start at boot', () => {
  it('fails publishes with BROKER_UNAVAILABLE meanwhile, then starts on a later try', async () => {
    const { broker, starts } = flakyBroker(2);
    const hub = new Hub({ broker });
    await assert.rejects(hub.publish('t', { data: 'early' }), {
      code: 'BROKER_UNAVAILABLE',
    } as object);
    const got: unknown[] = [];
    // Retries after 0.5 s, then 1 s: after that the hub works, with no restart (the deadline only
    // bounds a failing run).
    const deadline = Date.now() + 30_000;
    let id: string | undefined;
    while (id === undefined && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        hub.subscribe('t').subscribe({ next: (e) => got.push(e.data) });
        id = await hub.publish('t', { data: 'late' });
      } catch {
        // still starting
      }
    }
    assert.ok(id, 'a publish succeeded once the broker started');
    assert.equal(starts(), 3);
    assert.ok(got.includes('late'));
    await hub.close();
  });

  it('stops retrying when the hub closes', async () => {
    const { broker, starts } = flakyBroker(Number.POSITIVE_INFINITY);
    const hub = new Hub({ broker });
    await hub.ready?.catch(() => {});
    await hub.close();
    const before = starts();
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(starts(), before);
  });
});
