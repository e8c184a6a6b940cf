import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SseServer } from '#herald/connection/index.js';
import { HeraldError } from '#herald/errors.js';
import { concat, mergeMap, of, throwError, timer } from 'rxjs';
import { rawGet } from '../support/raw-client.js';
import { startServer, type TestServer } from '../support/http-server.js';

const later = (err: Error) => timer(5).pipe(mergeMap(() => throwError(() => err)));

class Refused extends Error {
  status = 404;
}

describe('errors', () => {
  let server: TestServer;
  const logged: unknown[] = [];
  const sse = new SseServer({
    heartbeat: false,
    describeError: (err) =>
      err instanceof Refused
        ? { statusCode: 404, message: err.message }
        : { statusCode: 500, message: 'Internal server error' },
    onError: (err) => logged.push(err),
  });

  before(async () => {
    server = await startServer((req, res) => {
      const sources: Record<string, () => unknown> = {
        '/sync-error': () => throwError(() => new Refused('no such task')),
        '/not-a-stream': () => 42,
        // Errors after the stream started (a timer later), not while subscribing.
        '/late-error': () =>
          concat(of({ data: 'one' }), later(new Error('db password is hunter2'))),
        '/late-known-error': () => concat(of({ data: 'one' }), later(new Refused('gone'))),
        '/bad-event': () =>
          (async function* () {
            yield { data: 'ok' };
            await new Promise((r) => setTimeout(r, 5));
            yield { data: 'x', id: 'a\nevent: injected' };
          })(),
        '/bad-header': () => of({ data: 'x' }),
      };
      try {
        const headers = req.url === '/bad-header' ? { 'X-Evil': 'a\r\nSet-Cookie: x=1' } : {};
        sse.open(req, res, sources[req.url ?? '']!(), { headers });
      } catch (err) {
        // What an app does with an error thrown before the stream started: a real status.
        const status = err instanceof Refused ? 404 : 500;
        const code = err instanceof HeraldError ? err.code : undefined;
        res
          .writeHead(status, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ status, code }));
      }
    });
  });
  after(() => server.close());

  it('an Observable failing while being subscribed throws from open(): nothing was written yet', async () => {
    const res = await fetch(`${server.url}/sync-error`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { status: 404 });
  });

  it('a handler result that is not a stream is an INVALID_SOURCE error before any byte', async () => {
    const res = await fetch(`${server.url}/not-a-stream`);
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { status: 500, code: 'INVALID_SOURCE' });
  });

  it('a header value with CR/LF is refused before any byte (no header injection)', async () => {
    const res = await fetch(`${server.url}/bad-header`);
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('set-cookie'), null);
  });

  it('an error after the first byte becomes an `error` event with a safe message, then the end', async () => {
    const client = await rawGet(server.url, '/late-error');
    await client.ended;
    const body = client.received();
    assert.match(body, /data: one\n\n/);
    assert.match(
      body,
      /event: error\ndata: \{"statusCode":500,"message":"Internal server error"\}\n\n/,
    );
    assert.doesNotMatch(body, /hunter2/);
    assert.match(body, /\r\n0\r\n\r\n$/, 'the chunked body is properly terminated');
    assert.ok(
      logged.some((e) => e instanceof Error && e.message.includes('hunter2')),
      'the real error is logged',
    );
  });

  it('a known error after the first byte carries its own status and message', async () => {
    const client = await rawGet(server.url, '/late-known-error');
    await client.ended;
    assert.match(client.received(), /event: error\ndata: \{"statusCode":404,"message":"gone"\}/);
  });

  it('an invalid event mid-stream ends the stream with an error event, and nothing is injected', async () => {
    const client = await rawGet(server.url, '/bad-event');
    await client.ended;
    const body = client.received();
    assert.match(body, /data: ok\n\n/);
    assert.doesNotMatch(body, /injected/);
    assert.match(body, /event: error/);
  });
});
