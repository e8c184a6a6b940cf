import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rootCertificates } from 'node:tls';
import { connect } from 'herald/client';
import { sse } from 'herald/testing';
import { Agent, fetch as undiciFetch } from 'undici';
import { connectH2 } from '../support/h2-client.js';
import { testCertificate } from '../support/tls.js';
import { h2Request, type H2App, startH2App } from './support/h2-app.js';

describe('herald/testing and herald/client against HTTPS and HTTP/2 apps', () => {
  let t: H2App;
  before(async () => {
    t = await startH2App();
  });
  after(() => t.close());

  it('sse() reads a stream over HTTP/2 and over HTTPS/1.1, and refusals with their status', async () => {
    const h2 = await sse(t.url, '/news', { http2: true });
    const h1 = await sse(t.url, '/news');
    assert.equal(h2.status, 200);
    assert.equal(h2.headers.get('content-type'), 'text/event-stream');
    assert.equal(h2.headers.get('transfer-encoding'), null, 'no chunking on HTTP/2');
    assert.equal(h1.headers.get('transfer-encoding'), 'chunked', 'HTTPS/1.1 is chunked');
    await t.hub.publish('news', { data: 'both' });
    for (const s of [h2, h1]) {
      const [event] = await s.take(1, { timeout: 5_000 });
      assert.equal(event?.data, 'both');
      await s.close();
    }
    const refused = await sse(t.url, '/guarded', { http2: true });
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.body, {
      statusCode: 403,
      message: 'Forbidden resource',
      error: 'Forbidden',
    });
  });

  it('sse() verifies the certificate against `ca` when given', async () => {
    const { cert } = testCertificate();
    const trusted = await sse(t.url, '/news', { http2: true, ca: cert });
    assert.equal(trusted.status, 200);
    await trusted.close();
    // A real CA that did not sign the app's certificate.
    const other = rootCertificates[0]!;
    await assert.rejects(sse(t.url, '/news', { http2: true, ca: other }), /failed/);
    await assert.rejects(sse(t.url, '/news', { ca: other }), /failed/);
  });

  it('herald/client streams over HTTP/2 through an undici fetch that trusts the certificate', async () => {
    const dispatcher = new Agent({ allowH2: true, connect: { ca: testCertificate().cert } });
    const fetchH2 = ((input: string, init: RequestInit) =>
      undiciFetch(input, { ...init, dispatcher } as never)) as unknown as typeof fetch;
    try {
      const version = await (await fetchH2(`${t.url}/version`, {})).json();
      assert.deepEqual(version, { httpVersion: '2.0' });
      const stream = connect(`${t.url}/news`, { fetch: fetchH2, retry: false });
      const opened = new Promise((r) => stream.onOpen(r));
      await opened;
      setTimeout(() => t.hub.publish('news', { data: 'to the client' }), 20);
      for await (const event of stream) {
        assert.equal(event.data, 'to the client');
        break;
      }
    } finally {
      await dispatcher.close();
    }
  });
});

describe('h2c: http2 without https', () => {
  it('serves HTTP/2 by prior knowledge on plain TCP', async () => {
    const t = await startH2App({}, { tls: false });
    try {
      assert.match(t.url, /^http:/);
      const session = connectH2(t.url);
      const res = await h2Request(session, { ':path': '/version' });
      assert.deepEqual(JSON.parse(res.body), { httpVersion: '2.0' });
      session.destroy();
      const stream = await sse(t.url, '/news', { http2: true });
      await t.hub.publish('news', { data: 'h2c' });
      assert.equal((await stream.next()).data, 'h2c');
      await stream.close();
    } finally {
      await t.close();
    }
  });
});
