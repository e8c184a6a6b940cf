import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseServer } from '#herald/connection/index.js';
import { Hub } from '#herald/hub/index.js';
import { NEVER } from 'rxjs';
import { startServer } from '../support/http-server.js';
import { rawGet } from '../support/raw-client.js';

describe('stream accounting and pacing', () => {
  it('a stream answered 204 is reported closed (a limiter gets its slot back)', async () => {
    const sse = new SseServer({ heartbeat: false });
    let closes = 0;
    sse.onStreamClose(() => closes++);
    const server = await startServer((req, res) => sse.open(req, res, NEVER, { status: 204 }));
    try {
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${server.url}/`);
        assert.equal(res.status, 204);
      }
      assert.equal(closes, 3);
      assert.equal(sse.stats().closed.complete, 3);
      assert.equal(sse.size, 0);
    } finally {
      await server.close();
    }
  });

  it('a paced replay under a 20 KB cap waits out a client that pauses, without being cut', async () => {
    const hub = new Hub({ history: { maxEvents: 25_000 } });
    const sse = new SseServer({ heartbeat: false, maxPendingBytes: 20_000 });
    const first = await hub.publish('t', { data: 'x'.repeat(1000) });
    for (let i = 1; i < 20_000; i++) await hub.publish('t', { data: 'x'.repeat(1000) });
    const server = await startServer((req, res) =>
      sse.open(req, res, hub.subscribe('t', { lastEventId: first })),
    );
    try {
      const client = await rawGet(server.url, '/', { read: false });
      await new Promise((r) => setTimeout(r, 500));
      // Count event ends ("\n\n"), also when one is split between two reads.
      let tail = '';
      let count = 0;
      const done = new Promise<void>((resolve) => {
        client.socket.on('data', (chunk: Buffer) => {
          const text = tail + chunk.toString('latin1');
          count += text.split('\n\n').length - 1;
          tail = text.endsWith('\n') && !text.endsWith('\n\n') ? '\n' : '';
          if (count >= 19_999) resolve();
        });
      });
      client.socket.resume();
      await done;
      assert.equal(sse.stats().closed['slow-consumer'], 0, 'never cut by its own pacing');
      client.socket.destroy();
    } finally {
      await server.close();
      await hub.close();
    }
  });
});
