import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hub, type MessageEvent } from 'herald';
import { from, take, toArray } from 'rxjs';
import { until } from '../support/http-server.js';
import { names, publishAll } from './support/hub-app.js';

describe('a hub subscription consumed on the server', () => {
  it('is an async iterable of events with their ids; break unsubscribes', async () => {
    const hub = new Hub();
    const got: MessageEvent<unknown>[] = [];
    const subscription = hub.subscribe('t');
    const iterating = (async () => {
      for await (const event of subscription) {
        got.push(event);
        if (got.length === 3) break;
      }
    })();
    await until(() => hub.stats().topics.t === 1, 'the iterator to subscribe');
    const ids = await publishAll(hub, 't', names('e', 3));
    await iterating;
    assert.deepEqual(
      got.map((e) => [e.id, e.data]),
      ids.map((id, i) => [id, `e${i}`]),
    );
    assert.deepEqual(hub.stats().topics, {});
    assert.equal(hub.stats().subscribers, 0);
    await hub.close();
  });

  it('replays after a lastEventId when iterated, then goes live', async () => {
    const hub = new Hub();
    const ids = await publishAll(hub, 't', names('old', 4));
    const iterator = hub.subscribe('t', { lastEventId: ids[1] })[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).value?.data, 'old2');
    assert.equal((await iterator.next()).value?.data, 'old3');
    await hub.publish('t', { data: 'live' });
    const live = await iterator.next();
    assert.equal(live.value?.data, 'live');
    await iterator.return?.();
    assert.equal(hub.stats().subscribers, 0);
    await hub.close();
  });

  it('is an rxjs source through from(): events with ids, and unsubscribe removes the subscriber at once', async () => {
    const hub = new Hub();
    const got: MessageEvent<unknown>[] = [];
    const subscription = from(hub.subscribe(['a', 'b'])).subscribe((e) => got.push(e));
    assert.deepEqual(hub.stats().topics, { a: 1, b: 1 });
    assert.equal(hub.stats().subscribers, 1);
    const first = await hub.publish('a', { data: 'one', type: 'kind' });
    const second = await hub.publish('b', { data: { n: 2 } });
    await until(() => got.length === 2, 'two events');
    assert.deepEqual(got, [
      { data: 'one', type: 'kind', id: first },
      { data: { n: 2 }, id: second },
    ]);
    subscription.unsubscribe();
    // No event has to arrive for the subscriber to go: stats are back to zero now.
    assert.deepEqual(hub.stats().topics, {});
    assert.equal(hub.stats().subscribers, 0);
    await hub.publish('a', { data: 'after' });
    assert.equal(got.length, 2);
    await hub.close();
  });

  it('works with rxjs operators that complete (take), releasing the subscriber', async () => {
    const hub = new Hub();
    const result = from(hub.subscribe('t')).pipe(take(2), toArray()).toPromise();
    await publishAll(hub, 't', ['x', 'y', 'z']);
    assert.deepEqual(
      (await result)?.map((e) => e.data),
      ['x', 'y'],
    );
    assert.equal(hub.stats().subscribers, 0);
    await hub.close();
  });

  it('errors the consumer when the hub refuses (authorize)', async () => {
    const hub = new Hub({ authorize: (topic) => topic !== 'secret' });
    await assert.rejects(
      (async () => {
        for await (const _ of hub.subscribe('secret')) break;
      })(),
      { code: 'FORBIDDEN_TOPIC' },
    );
    assert.equal(hub.stats().subscribers, 0);
    await hub.close();
  });
});
