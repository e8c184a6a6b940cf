import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connectH2, openStream } from '../support/h2-client.js';
import { until } from '../support/http-server.js';
import { h2Request, type H2App, producers, startH2App } from './support/h2-app.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * CVE-2023-44487: a client opens streams and resets each at once, so the server starts work for
 * requests no one will read, as fast as the client can send two frames. Node's nghttp2 limits the
 * rate of resets per session (past it, GOAWAY); what Herald must add is that every started stream
 * is released however early it is reset, so nothing piles up.
 */
function rapidReset(url: string, streams: number): Promise<{ opened: number; goaway: boolean }> {
  return new Promise((resolve) => {
    const session = http2.connect(url, {
      rejectUnauthorized: false,
      peerMaxConcurrentStreams: 1e6,
    });
    let opened = 0;
    let goaway = false;
    session.on('error', () => undefined);
    session.on('goaway', () => {
      goaway = true;
    });
    session.once('close', () => resolve({ opened, goaway }));
    session.once('connect', () => {
      for (let i = 0; i < streams && !session.destroyed && !session.closed; i++) {
        try {
          const s = session.request({ ':path': i % 2 ? '/ticks' : '/news' });
          s.on('error', () => undefined);
          s.close(http2.constants.NGHTTP2_CANCEL);
          opened++;
        } catch {
          break;
        }
      }
      setTimeout(() => session.destroy(), 1_000);
    });
  });
}

describe('a rapid-reset flood (CVE-2023-44487)', () => {
  let t: H2App;
  before(async () => {
    t = await startH2App();
  });
  after(() => t.close());

  it('leaves no stream, producer or subscriber behind, and the server keeps serving', async () => {
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const results = await Promise.all(Array.from({ length: 4 }, () => rapidReset(t.url, 5_000)));
    const opened = results.reduce((n, r) => n + r.opened, 0);
    assert.ok(opened >= 4_000, `the clients sent ${opened} streams`);
    await until(
      () => producers.started === producers.released,
      'every started producer released',
      10_000,
    );
    await until(() => t.hub.stats().subscribers === 0, 'no subscriber left', 10_000);
    collectGarbage();
    const grown = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(grown < 16 * 2 ** 20, `heap grew ${(grown / 2 ** 20).toFixed(1)} MiB`);
    // A well-behaved client is served as before.
    const session = connectH2(t.url);
    try {
      assert.equal((await h2Request(session, { ':path': '/hello' })).status, 200);
      const s = openStream(session, '/news');
      await s.waitFor(/^id: /);
      await t.hub.publish('news', { data: 'after the flood' });
      await s.waitFor('data: after the flood');
    } finally {
      session.destroy();
    }
  });
});
