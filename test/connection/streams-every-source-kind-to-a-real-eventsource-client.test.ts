import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SseServer } from '#herald/connection/index.js';
import { SSEEvent, SSEMessage } from '#herald/stream/index.js';
import { interval, map, take } from 'rxjs';
import { collect } from '../support/event-source.js';
import { startServer, type TestServer } from '../support/http-server.js';

// Each route returns one kind of source; the engine must serve them all the same way.
const sources: Record<string, () => unknown> = {
  '/observable': () =>
    interval(5).pipe(
      take(3),
      map((n) => ({ data: { n }, id: String(n), type: n === 1 ? 'alert' : undefined })),
    ),
  // Seed 002 (Danet), as written: an EventTarget dispatching SSEMessage, ending with `close`.
  '/event-target': () => {
    const eventTarget = new EventTarget();
    let id = 0;
    const timer = setInterval(() => {
      if (id >= 2) {
        clearInterval(timer);
        eventTarget.dispatchEvent(
          new SSEMessage({ retry: 1000, id: `${id}`, data: 'close', event: 'close' }),
        );
        return;
      }
      eventTarget.dispatchEvent(
        new SSEMessage({ retry: 1000, id: `${id}`, data: 'world', event: 'hello' }),
      );
      id++;
    }, 5);
    return eventTarget;
  },
  '/custom-event': () => {
    const target = new EventTarget();
    setTimeout(
      () => target.dispatchEvent(new SSEEvent({ data: { a: 1 }, id: '9', event: 'update' })),
      5,
    );
    return target;
  },
  '/async-generator': () =>
    (async function* () {
      yield { data: 'one', id: 'a' };
      yield 'two';
      yield { data: 'three\nlines\r\nhere', type: 'multi' };
    })(),
  '/readable-stream': () =>
    new ReadableStream({
      start(controller) {
        controller.enqueue({ data: 'first' });
        controller.enqueue({ data: { second: true }, id: '2' });
        controller.close();
      },
    }),
  '/array': () => [{ data: 'x' }, { data: 'y', type: 'alert' }],
};

describe('the engine streams every source kind', () => {
  let server: TestServer;
  const sse = new SseServer({ heartbeat: false });
  before(async () => {
    server = await startServer((req, res) => sse.open(req, res, sources[req.url ?? '']!()));
  });
  after(() => server.close());

  it('an RxJS Observable, with ids and a custom type', async () => {
    const got = await collect(`${server.url}/observable`, 3, ['alert']);
    assert.deepEqual(got, [
      { type: 'message', data: '{"n":0}', id: '0' },
      { type: 'alert', data: '{"n":1}', id: '1' },
      { type: 'message', data: '{"n":2}', id: '2' },
    ]);
  });

  it('an EventTarget dispatching Danet SSEMessages, and the `close` message is sent last', async () => {
    const got = await collect(`${server.url}/event-target`, 3, ['hello', 'close']);
    assert.deepEqual(got, [
      { type: 'hello', data: 'world', id: '0' },
      { type: 'hello', data: 'world', id: '1' },
      { type: 'close', data: 'close', id: '2' },
    ]);
  });

  it('an EventTarget dispatching Danet SSEEvents (CustomEvent detail)', async () => {
    const got = await collect(`${server.url}/custom-event`, 1, ['update']);
    assert.deepEqual(got, [{ type: 'update', data: '{"a":1}', id: '9' }]);
  });

  it('an async generator, strings as data, multi-line data joined with LF', async () => {
    const got = await collect(`${server.url}/async-generator`, 3, ['multi']);
    // (The `eventsource` package reports each event's own id rather than the sticky last id.)
    assert.equal(got[0]!.id, 'a');
    assert.deepEqual(
      got.map((e) => [e.type, e.data]),
      [
        ['message', 'one'],
        ['message', 'two'],
        ['multi', 'three\nlines\nhere'],
      ],
    );
  });

  it('a ReadableStream', async () => {
    const got = await collect(`${server.url}/readable-stream`, 2);
    assert.deepEqual(got, [
      { type: 'message', data: 'first', id: '' },
      { type: 'message', data: '{"second":true}', id: '2' },
    ]);
  });

  it('a plain array', async () => {
    const got = await collect(`${server.url}/array`, 2, ['alert']);
    assert.deepEqual(
      got.map((e) => [e.type, e.data]),
      [
        ['message', 'x'],
        ['alert', 'y'],
      ],
    );
  });
});
