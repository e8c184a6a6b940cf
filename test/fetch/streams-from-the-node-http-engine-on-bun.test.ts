import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningServer, startServer } from './support/runtime-server.js';
import { openStream } from './support/sse-stream.js';

// Bun's `node:http` socket reports no backlog, so Herald writes through `res.write` there (see
// src/connection/transport.ts). These run Herald's own engine on Bun over real sockets.
describe("Herald's node:http engine on Bun", () => {
  let server: RunningServer;
  const get = async (path: string) =>
    (await (await fetch(`${server.url}${path}`)).json()) as {
      pulled: number;
      subscribers: number;
    };
  before(async () => {
    server = await startServer('bun', './node-http-server.js');
  });
  after(() => server?.stop());

  it('frames every event exactly to 20 clients', async () => {
    const clients = await Promise.all(
      Array.from({ length: 20 }, () => openStream(`${server.url}/hub`)),
    );
    for (const c of clients) assert.equal(c.headers['transfer-encoding'], 'chunked');
    // Each stream was subscribed before its head went out: all 20 take this publish.
    assert.equal((await get('/publish')).subscribers, 20);
    const want = Array.from({ length: 20 }, (_, i) => `line ${i}\nnext ${i}`);
    for (const c of clients) {
      assert.deepEqual(
        (await c.take(20)).map((e) => e.data),
        want,
      );
      c.close();
    }
  });

  it('paces a pull source for a client that stops reading', async () => {
    const stream = await openStream(`${server.url}/pull`);
    stream.pause();
    await new Promise((r) => setTimeout(r, 1_000));
    const first = (await get('/stats')).pulled;
    await new Promise((r) => setTimeout(r, 1_000));
    const second = (await get('/stats')).pulled;
    // Written to Bun's socket directly, the generator was pulled without end (over 40,000 events,
    // 400 MB, in 2 s); paced, it stops once the buffers are full.
    assert.equal(second, first, 'no more pulled while the client does not read');
    assert.ok(second < 2_000, `${second} events pulled`);
    stream.close();
  });
});
