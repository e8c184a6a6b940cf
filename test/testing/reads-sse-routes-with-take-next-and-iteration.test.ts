import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, Headers, LastEventId, type MessageEvent, Module, Query, Sse } from 'herald';
import { createTestApp, sse, type TestApp } from 'herald/testing';
import { interval, map, type Observable, of, take } from 'rxjs';
import { until } from '../support/http-server.js';

@Controller('feed')
class FeedController {
  @Sse('ticks')
  ticks(@LastEventId() last: string | undefined): Observable<MessageEvent> {
    const start = last === undefined ? 0 : Number(last) + 1;
    return interval(5).pipe(
      take(3),
      map((n) => ({
        id: String(start + n),
        type: n === 2 ? 'alert' : 'tick',
        data: { n: start + n },
      })),
    );
  }

  @Sse('echo')
  echo(
    @Headers('authorization') auth: string | undefined,
    @Query('tag') tags: string | string[],
    @LastEventId() last: string | undefined,
  ): Observable<MessageEvent> {
    return of({ data: { auth, tags, last: last ?? null } });
  }

  @Sse('retry')
  retry(): Observable<MessageEvent> {
    return of({ data: 'first' }, { data: 'second', retry: 2500 }, { data: 'third' });
  }

  @Sse('count')
  count(): Observable<MessageEvent> {
    return interval(2).pipe(map((n) => ({ data: String(n) })));
  }
}

@Module({ controllers: [FeedController] })
class AppModule {}

describe('sse() against @Sse routes', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(AppModule, { options: { sse: { retry: 1500 } } });
  });
  after(() => t.close());

  it('takes the next n events, parsed, with the status and headers', async () => {
    const stream = await sse(t, '/feed/ticks');
    assert.equal(stream.status, 200);
    assert.equal(stream.headers.get('content-type'), 'text/event-stream');
    assert.deepEqual(await stream.take(3), [
      { type: 'tick', data: '{"n":0}', id: '0' },
      { type: 'tick', data: '{"n":1}', id: '1' },
      { type: 'alert', data: '{"n":2}', id: '2' },
    ]);
    await stream.close();
  });

  it('sends lastEventId as Last-Event-ID to @LastEventId(), and parses JSON when asked', async () => {
    const stream = await sse<{ n: number }>(t, '/feed/ticks', { lastEventId: '9', json: true });
    const events = await stream.take(3);
    assert.deepEqual(
      events.map((e) => [e.id, e.data.n]),
      [
        ['10', 10],
        ['11', 11],
        ['12', 12],
      ],
    );
    await stream.close();
  });

  it('sends headers and query values (repeated keys as arrays)', async () => {
    const stream = await sse(t, '/feed/echo?tag=a', {
      headers: { authorization: 'Bearer t0ken' },
      query: { tag: ['b', 'c'] },
      json: true,
    });
    assert.deepEqual((await stream.next()).data, {
      auth: 'Bearer t0ken',
      tags: ['a', 'b', 'c'],
      last: null,
    });
    await stream.close();
  });

  it("gives an event the retry of its own block only, not the stream's opening retry", async () => {
    const stream = await sse(t, '/feed/retry');
    assert.deepEqual(await stream.all(), [
      { type: 'message', data: 'first', id: '' },
      { type: 'message', data: 'second', id: '', retry: 2500 },
      { type: 'message', data: 'third', id: '' },
    ]);
    assert.equal(stream.ended, true);
  });

  it('reads with next() and for await, keeping what arrived before the test asked', async () => {
    const stream = await sse(t, '/feed/count');
    // Events are buffered from the first byte: three arrive before the test asks for any.
    await until(() => stream.received.length >= 3, 'three events buffered');
    assert.equal((await stream.next()).data, '0');
    const seen: string[] = [];
    for await (const event of stream) {
      seen.push(event.data);
      if (seen.length === 3) break;
    }
    assert.deepEqual(seen, ['1', '2', '3']);
    assert.equal(stream.ended, true, 'breaking out of the loop closes the stream');
  });
});
