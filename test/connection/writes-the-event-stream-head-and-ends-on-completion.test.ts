import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SseServer } from '#herald/connection/index.js';
import { NEVER, of } from 'rxjs';
import { rawGet } from '../support/raw-client.js';
import { startServer, type TestServer, until } from '../support/http-server.js';

describe('the response', () => {
  let server: TestServer;
  const sse = new SseServer({ heartbeat: false, retry: 2500 });

  before(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/forever')
        return sse.open(req, res, NEVER, {
          headers: { 'X-Trace': 't1', 'Content-Type': 'text/html' },
        });
      if (req.url === '/created') return sse.open(req, res, of({ data: 'x' }), { status: 201 });
      sse.open(req, res, of({ data: 'a' }, { data: 'b' }));
    });
  });
  after(() => server.close());

  it('has the event-stream headers, user headers, and never a user Content-Type', async () => {
    const res = await fetch(`${server.url}/forever`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    assert.equal(res.headers.get('cache-control'), 'no-cache, no-transform');
    assert.equal(res.headers.get('x-accel-buffering'), 'no');
    assert.equal(res.headers.get('connection'), 'keep-alive');
    assert.equal(res.headers.get('x-trace'), 't1');
    await res.body?.cancel();
  });

  it('sends retry first, then events, and ends the chunked body when the source completes', async () => {
    const client = await rawGet(server.url, '/');
    await client.waitFor('\r\n0\r\n\r\n');
    const body = client.received().split('\r\n\r\n').slice(1).join('\r\n\r\n');
    // Chunks: the retry preamble, then both events (coalesced in one turn), then the last chunk.
    const text = body.replace(/(^|\r\n)[0-9a-f]+\r\n/g, '');
    assert.equal(text, 'retry: 2500\n\ndata: a\n\ndata: b\n\n\r\n');
    client.socket.destroy();
  });

  it('keeps the connection reusable after a completed stream (keep-alive)', async () => {
    const client = await rawGet(server.url, '/');
    await client.waitFor('\r\n0\r\n\r\n');
    client.socket.write(`GET /created HTTP/1.1\r\nHost: x\r\n\r\n`);
    await client.waitFor('HTTP/1.1 201');
    client.socket.destroy();
  });

  it('serves HTTP/1.0 clients with a body that ends at close, without chunk framing', async () => {
    const client = await rawGet(server.url, '/', { version: '1.0' });
    await client.ended;
    const [head, body] = client.received().split('\r\n\r\n');
    assert.doesNotMatch(head!, /transfer-encoding/i);
    assert.doesNotMatch(head!, /keep-alive/i);
    assert.equal(body, 'retry: 2500\n\ndata: a\n\ndata: b\n\n');
  });

  it('counts open streams and ends them all with a retry hint on closeAll()', async () => {
    const clients = await Promise.all([
      rawGet(server.url, '/forever'),
      rawGet(server.url, '/forever'),
    ]);
    await until(() => sse.size === 2, 'two open streams');
    await sse.closeAll({ retry: 100 });
    for (const c of clients) {
      await c.waitFor('retry: 100\n\n');
      await c.waitFor('\r\n0\r\n\r\n');
      c.socket.destroy();
    }
    assert.equal(sse.size, 0);
  });
});
