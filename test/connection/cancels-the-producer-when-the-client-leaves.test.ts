import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { SseServer } from '#herald/connection/index.js';
import { Observable } from 'rxjs';
import { rawGet } from '../support/raw-client.js';
import { startServer, type TestServer, until } from '../support/http-server.js';

/** Counts listeners on an EventTarget, which has no public way to list them. */
class CountingTarget extends EventTarget {
  listeners = 0;
  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    this.listeners++;
    super.addEventListener(...args);
  }
  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void {
    this.listeners--;
    super.removeEventListener(...args);
  }
}

describe('a client that leaves cancels its producer in the same tick', () => {
  let server: TestServer;
  const sse = new SseServer({ heartbeat: false });
  // What each source reports about its own release, and whether it had happened by the time the
  // response's own 'close' listeners ran (registered after the engine's, so they run after it).
  const released = new Map<string, boolean>();
  const releasedInSameTick = new Map<string, boolean>();
  const target = new CountingTarget();
  let yields = 0;

  const sources: Record<string, () => unknown> = {
    '/observable': () => new Observable(() => () => released.set('/observable', true)),
    '/async-generator': () =>
      (async function* () {
        try {
          for (;;) {
            yields++;
            yield { data: 'tick' };
            await new Promise((r) => setTimeout(r, 5));
          }
        } finally {
          released.set('/async-generator', true);
        }
      })(),
    '/readable-stream': () =>
      new ReadableStream({
        start: (c) => c.enqueue({ data: 'first' }),
        cancel: () => {
          released.set('/readable-stream', true);
        },
      }),
    '/event-target': () => target,
  };

  before(async () => {
    server = await startServer((req, res: ServerResponse) => {
      const path = req.url ?? '';
      sse.open(req, res, sources[path]!());
      res.on('close', () => {
        releasedInSameTick.set(
          path,
          path === '/event-target' ? target.listeners === 0 : released.get(path) === true,
        );
      });
    });
  });
  after(() => server.close());

  for (const path of ['/observable', '/readable-stream', '/event-target']) {
    it(`releases ${path.slice(1)} before the response's close event finishes`, async () => {
      const client = await rawGet(server.url, path);
      await client.waitFor('\r\n\r\n');
      if (path === '/event-target') assert.equal(target.listeners, 3);
      client.socket.destroy();
      await until(() => releasedInSameTick.has(path), 'the response to close');
      assert.equal(releasedInSameTick.get(path), true);
      assert.equal(sse.size, 0);
    });
  }

  it('returns an async generator: its finally runs and it is never pulled again', async () => {
    const client = await rawGet(server.url, '/async-generator');
    await client.waitFor('data: tick\n\n');
    client.socket.destroy();
    await until(() => releasedInSameTick.has('/async-generator'), 'the response to close');
    // return() is called in the same tick; JavaScript runs it once the generator's pending await
    // settles (here within 5 ms), so finally runs then, and no further step is taken.
    await until(() => released.get('/async-generator') === true, 'the generator to finish');
    const seen = yields;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(yields, seen);
    assert.equal(sse.size, 0);
  });
});
