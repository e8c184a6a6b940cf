import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, type MessageEvent, Module, Sse } from 'herald';
import { createTestApp, sse, type TestApp } from 'herald/testing';
import { Observable } from 'rxjs';
import { until } from '../support/http-server.js';

let subscribed = 0;
let leftBy = 0;

@Controller()
class StreamsController {
  /** Two events, then open until the client leaves; counts the server-side teardown. */
  @Sse('two')
  two(): Observable<MessageEvent> {
    return new Observable((sub) => {
      subscribed++;
      sub.next({ id: '1', data: 'one' });
      sub.next({ id: '2', type: 'update', data: 'two' });
      return () => {
        leftBy++;
      };
    });
  }

  @Sse('one-then-end')
  oneThenEnd(): Observable<MessageEvent> {
    return new Observable((sub) => {
      sub.next({ data: 'only' });
      sub.complete();
    });
  }
}

@Module({ controllers: [StreamsController] })
class AppModule {}

describe('TestEventStream lifetime and failures', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(AppModule);
  });
  after(() => t.close());

  it('close() releases the connection: the server sees the client leave', async () => {
    const left = leftBy;
    const stream = await sse(t, '/two');
    await stream.take(2);
    await until(() => subscribed > 0, 'the subscription');
    assert.equal(leftBy, left, 'still connected');
    await stream.close();
    assert.equal(stream.ended, true);
    await until(() => leftBy === left + 1, 'the server-side teardown');
  });

  it('take() times out listing the events that did arrive, which stay readable', async () => {
    const stream = await sse(t, '/two');
    // Both events are in before the short wait starts, so the message lists them, however busy
    // the machine.
    await until(() => stream.received.length === 2, 'the two events');
    const started = Date.now();
    await assert.rejects(stream.take(3, { timeout: 150 }), (error: Error) => {
      assert.equal(
        error.message,
        'GET /two: take(3) got 2 of 3 events within 150 ms (the stream is still open):' +
          '\n  {"type":"message","data":"one","id":"1"}' +
          '\n  {"type":"update","data":"two","id":"2"}',
      );
      return true;
    });
    // Not before its timeout (timers never fire early; 2 ms of clock rounding).
    assert.ok(Date.now() - started >= 148);
    assert.deepEqual(
      (await stream.take(2)).map((e) => e.data),
      ['one', 'two'],
    );
    await stream.close();
  });

  it('take() fails at once when the server ends the stream first', async () => {
    const stream = await sse(t, '/one-then-end');
    await assert.rejects(
      stream.take(2, { timeout: 60_000 }),
      /^Error: GET \/one-then-end: take\(2\) got 1 of 2 events \(the server ended the stream\):\n {2}\{"type":"message","data":"only","id":""\}$/,
    );
  });

  it('all() fails while the stream stays open, and a JSON stream fails on data that is not JSON', async () => {
    const open = await sse(t, '/two');
    await until(() => open.received.length === 2, 'the two events');
    await assert.rejects(open.all({ timeout: 100 }), /all\(\) got 2 events within 100 ms/);
    await open.close();
    const json = await sse(t, '/two', { json: true });
    await assert.rejects(json.next(), /GET \/two: event data is not JSON: .*"one"/);
    await json.close();
  });
});
