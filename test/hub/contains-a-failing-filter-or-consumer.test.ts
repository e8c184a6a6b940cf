import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hub, SseServer } from 'herald';
import { startServer } from '../support/http-server.js';
import { rawGet } from '../support/raw-client.js';

describe('a failing filter or consumer is contained', () => {
  it('a filter that throws on the live path ends only its own subscriber; the others get the event', async () => {
    const hub = new Hub();
    const good: unknown[] = [];
    const errors: unknown[] = [];
    hub.subscribe('t', { filter: () => true }).subscribe({ next: (e) => good.push(e.data) });
    hub
      .subscribe('t', {
        filter: (e) => (e.data as { to: string }).to.length > 0, // throws for string data
      })
      .subscribe({ error: (err) => errors.push(err) });
    hub.subscribe('t').subscribe({ next: (e) => good.push(e.data) });
    const id = await hub.publish('t', { data: 'plain text' });
    assert.ok(id, 'publish resolves: the event was stored and fanned out');
    assert.deepEqual(good, ['plain text', 'plain text']);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof TypeError);
    assert.equal(hub.stats().subscribers, 2, 'the failing subscriber left the hub');
    await hub.close();
  });

  it('a filter that throws during a paced replay ends that stream with an error event, and the process lives on', async () => {
    const hub = new Hub({ history: { maxEvents: 2000 } });
    const sse = new SseServer({ heartbeat: false });
    const big = 'x'.repeat(10_000);
    const first = await hub.publish('t', { data: { to: 'a', big } });
    for (let i = 0; i < 300; i++) await hub.publish('t', { data: { to: 'a', big } });
    await hub.publish('t', { data: 'no recipient' }); // the filter throws on this one
    const server = await startServer((req, res) =>
      sse.open(
        req,
        res,
        hub.subscribe('t', {
          lastEventId: first,
          filter: (e) => (e.data as { to: string }).to.length > 0,
        }),
      ),
    );
    try {
      // 3 MB of replay goes at the socket's pace: the pump resumes from the flush scheduler and
      // from 'drain', where an uncaught throw would end the process.
      const client = await rawGet(server.url, '/');
      await client.ended;
      const body = client.received();
      assert.equal(body.split('"to":"a"').length - 1, 300);
      assert.match(
        body,
        /event: error\ndata: \{"statusCode":500,"message":"Internal server error"\}/,
      );
      assert.equal(hub.stats().subscribers, 0);
    } finally {
      await server.close();
      await hub.close();
    }
  });

  it('an Observable consumer that throws during a synchronous replay does not stay registered', async () => {
    const hub = new Hub();
    const first = await hub.publish('t', { data: 'a' });
    await hub.publish('t', { data: 'b' });
    let errors = 0;
    const subscription = hub.subscribe('t', { lastEventId: first }).subscribe({
      next: () => {
        throw new Error('consumer bug');
      },
      error: () => {
        errors++;
      },
    });
    subscription.unsubscribe();
    assert.equal(errors, 1);
    assert.equal(hub.stats().subscribers, 0);
    await hub.close();
  });

  it('a deferred subscribe (authorize) that finishes after the hub closed is refused with CLOSED', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const hub = new Hub({
      authorize: async () => {
        await gate;
        return true;
      },
    });
    const outcome = new Promise<unknown>((resolve) => {
      hub.subscribe('t').subscribe({ error: resolve, complete: () => resolve('completed') });
    });
    await hub.close();
    release();
    const err = (await outcome) as { code?: string };
    assert.equal(err.code, 'CLOSED');
    assert.equal(hub.stats().subscribers, 0);
  });
});
