import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SseServer } from '#herald/connection/index.js';
import { of } from 'rxjs';
import { rawGet } from '../support/raw-client.js';
import { startServer, type TestServer } from '../support/http-server.js';

describe('responses without a body', () => {
  let server: TestServer;
  let cancelled = 0;
  const sse = new SseServer({ heartbeat: false });
  const source = () =>
    new (class {
      subscribe(o: { next(v: unknown): void }) {
        o.next({ data: 'one' });
        return { unsubscribe: () => cancelled++ };
      }
    })();

  before(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/no-content') return sse.open(req, res, source(), { status: 204 });
      if (req.url === '/plain') return sse.open(req, res, of({ data: 'plain' }));
      sse.open(req, res, source());
    });
  });
  after(() => server.close());

  it('a HEAD gets the head only, its producer is released, and the connection stays usable', async () => {
    const { port } = new URL(server.url);
    const raw = net.connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.write('HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET /plain HTTP/1.1\r\nHost: x\r\n\r\n');
    const deadline = Date.now() + 30_000;
    while (!Buffer.concat(chunks).toString().includes('data: plain') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    raw.destroy();
    const text = Buffer.concat(chunks).toString('latin1');
    const [headAnswer] = text.split('HTTP/1.1 200 OK').filter(Boolean);
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.doesNotMatch(headAnswer!, /data: one/, 'no event bytes after the HEAD answer');
    assert.match(
      text,
      /data: plain\n\n/,
      'the next request on the connection is answered properly',
    );
    assert.ok(cancelled >= 1, 'the HEAD request’s producer was released');
  });

  it('a 204 stream answers with the head alone', async () => {
    const client = await rawGet(server.url, '/no-content');
    await client.waitFor('\r\n\r\n');
    await new Promise((r) => setTimeout(r, 50));
    const text = client.received();
    assert.match(text, /^HTTP\/1\.1 204 No Content\r\n/);
    assert.equal(text.split('\r\n\r\n')[1], '', 'nothing after the head');
    client.socket.destroy();
  });
});
