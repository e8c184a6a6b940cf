import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { connectH2, openStream } from '../support/h2-client.js';
import { h2Request, type H2App, startH2App } from './support/h2-app.js';

// RFC 9113 8.2.2: none of these may appear in an HTTP/2 response.
const CONNECTION_SPECIFIC = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
];

describe('an app with https and http2 serves HTTP/2 and HTTPS/1.1 on one port', () => {
  let t: H2App;
  before(async () => {
    t = await startH2App({ sse: { headers: { 'Keep-Alive': 'timeout=5', 'X-Extra': 'yes' } } });
  });
  after(() => t.close());

  it('listens on TLS and names it in getUrl()', () => {
    assert.match(t.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('advertises 256 concurrent streams, and 200 streams on one session get every event', async () => {
    const session = connectH2(t.url);
    try {
      await new Promise((r) => session.once('remoteSettings', r));
      assert.equal(session.remoteSettings.maxConcurrentStreams, 256);
      const streams = Array.from({ length: 200 }, () => openStream(session, '/news'));
      const heads = await Promise.all(streams.map((s) => s.head));
      await Promise.all(streams.map((s) => s.waitFor(/^id: /)));
      for (let i = 0; i < 20; i++) await t.hub.publish('news', { data: `event ${i}` });
      await Promise.all(streams.map((s) => s.waitFor('data: event 19\n\n', 20_000)));
      for (const s of streams) {
        const got = s.text().match(/data: event \d+/g);
        assert.deepEqual(
          got,
          Array.from({ length: 20 }, (_, i) => `data: event ${i}`),
        );
      }
      for (const head of heads) {
        assert.equal(head[':status'], 200);
        assert.equal(head['content-type'], 'text/event-stream');
        assert.equal(head['cache-control'], 'no-cache, no-transform');
        assert.equal(head['x-extra'], 'yes', 'a route header goes out');
        for (const name of CONNECTION_SPECIFIC) assert.equal(head[name], undefined, name);
      }
    } finally {
      session.destroy();
    }
  });

  it('streams to an HTTP/1.1 client over TLS on the same port, chunked, with its keep-alive head', async () => {
    const text = await new Promise<string>((resolve, reject) => {
      const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });
      const req = https.get(`${t.url}/news`, { agent }, (res) => {
        assert.equal(res.httpVersion, '1.1');
        assert.equal(res.headers['content-type'], 'text/event-stream');
        assert.equal(res.headers['transfer-encoding'], 'chunked');
        assert.equal(res.headers.connection, 'keep-alive');
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
          if (body.includes('data: over tls')) {
            req.destroy();
            agent.destroy();
            resolve(body);
          }
        });
        setTimeout(() => t.hub.publish('news', { data: 'over tls' }), 50);
      });
      req.on('error', reject);
    });
    assert.match(text, /data: over tls\n\n/);
  });

  it('answers guards, DTOs and hub refusals with real statuses before the first byte', async () => {
    const session = connectH2(t.url);
    try {
      const guarded = await h2Request(session, { ':path': '/guarded' });
      assert.equal(guarded.status, 403);
      assert.equal(JSON.parse(guarded.body).statusCode, 403);
      const dto = await h2Request(session, { ':path': '/by-email?email=nope' });
      assert.equal(dto.status, 400);
      assert.match(dto.body, /email must be an email/);
      const refused = await h2Request(session, { ':path': '/private' });
      assert.equal(refused.status, 403);
      for (const r of [guarded, dto, refused]) {
        assert.match(String(r.headers['content-type']), /application\/json/);
      }
    } finally {
      session.destroy();
    }
  });

  it('serves JSON routes and bodies, CORS and static files over HTTP/2', async () => {
    const session = connectH2(t.url);
    try {
      const hello = await h2Request(session, { ':path': '/hello' });
      assert.deepEqual([hello.status, JSON.parse(hello.body)], [200, { hello: 'world' }]);
      const echo = await h2Request(
        session,
        { ':method': 'POST', ':path': '/echo', 'content-type': 'application/json' },
        JSON.stringify({ a: 1 }),
      );
      assert.deepEqual([echo.status, JSON.parse(echo.body)], [201, { got: { a: 1 } }]);
      const cors = await h2Request(session, {
        ':path': '/hello',
        origin: 'https://allowed.example',
      });
      assert.equal(cors.headers['access-control-allow-origin'], 'https://allowed.example');
      const foreign = await h2Request(session, {
        ':path': '/hello',
        origin: 'https://evil.example',
      });
      assert.equal(foreign.headers['access-control-allow-origin'], undefined);
      const page = await h2Request(session, { ':path': '/page.html' });
      assert.deepEqual([page.status, page.body], [200, '<h1>static</h1>']);
      const missing = await h2Request(session, { ':path': '/nothing-here' });
      assert.equal(missing.status, 404);
    } finally {
      session.destroy();
    }
  });
});

describe('an app with https alone', () => {
  it('serves HTTPS/1.1 and offers no HTTP/2', async () => {
    const t = await startH2App({ http2: false });
    try {
      assert.match(t.url, /^https:/);
      const session = connectH2(t.url);
      const failed = await new Promise<boolean>((resolve) => {
        session.once('connect', () => resolve(false));
        session.once('error', () => resolve(true));
        session.once('close', () => resolve(true));
      });
      session.destroy();
      assert.ok(failed, 'no h2 by ALPN');
      const status = await new Promise<number>((resolve, reject) => {
        https
          .get(`${t.url}/hello`, { rejectUnauthorized: false, agent: false }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject);
      });
      assert.equal(status, 200);
    } finally {
      await t.close();
    }
  });
});
