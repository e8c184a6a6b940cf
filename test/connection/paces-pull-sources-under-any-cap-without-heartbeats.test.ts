import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { heartbeatTimerCount, SseServer } from '#herald/connection/index.js';
import { Hub } from '#herald/hub/index.js';
import { from } from 'rxjs';
import { rawGet } from '../support/raw-client.js';
import { startServer, type TestServer, until } from '../support/http-server.js';
import { ResumingClient } from '../support/resuming-client.js';

const EVENT = 'x'.repeat(10_000);

describe('pacing under small caps', () => {
  let server: TestServer;
  const hub = new Hub({ history: { maxEvents: 3000 } });
  // No heartbeat: nothing but the socket itself may wake a paced replay.
  const sse = new SseServer({ heartbeat: false, maxPendingBytes: 40_000 });
  let first = '';

  before(async () => {
    first = await hub.publish('t', { data: EVENT });
    for (let i = 1; i < 2000; i++) await hub.publish('t', { data: EVENT });
    server = await startServer((req, res) => {
      if (req.url === '/burst')
        return sse.open(req, res, from(Array.from({ length: 100 }, () => ({ data: EVENT }))));
      const lastEventId = req.headers['last-event-id'] ?? first;
      sse.open(req, res, hub.subscribe('t', { lastEventId: String(lastEventId) }));
    });
  });
  after(async () => {
    await server.close();
    await hub.close();
  });

  it('a 20 MB replay under a 40 KB cap reaches a reading client in full, never stalling', async () => {
    const client = new ResumingClient(`${server.url}/replay`);
    client.lastId = first;
    await client.connect();
    await client.received(1999, 60_000);
    assert.equal(client.events.length, 1999);
    assert.equal(
      new Set(client.events.map((e) => e.id)).size,
      1999,
      'no duplicates across resumes',
    );
    client.close();
  });

  it('a stream cut while its first frames start leaves no heartbeat behind', async () => {
    const withBeat = new SseServer({ heartbeat: 15_000, maxPendingBytes: 64 * 1024 });
    const s = await startServer((req, res) =>
      withBeat.open(
        req,
        res,
        // 400 KiB at once: past 4 x the cap on top of what waits, which cuts a push source at once.
        from(Array.from({ length: 400 }, () => ({ data: 'y'.repeat(1024) }))),
      ),
    );
    try {
      for (let i = 0; i < 3; i++) {
        const c = await rawGet(s.url, '/');
        await c.ended;
      }
      await until(() => withBeat.size === 0, 'the streams to close');
      assert.equal(withBeat.stats().closed['slow-consumer'], 3);
      assert.equal(heartbeatTimerCount(), 0);
    } finally {
      await s.close();
    }
  });
});
