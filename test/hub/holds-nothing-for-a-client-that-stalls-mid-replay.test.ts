import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Hub, SseServer } from 'herald';
import { startServer, until } from '../support/http-server.js';
import { rawGet } from '../support/raw-client.js';

// The test runner does not pass --expose-gc; the flag can still be set before the first use.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function retained(): number {
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

const EVENT = 'x'.repeat(10_000);

describe('a client that stops reading in the middle of its replay', () => {
  it('holds none of the live events published meanwhile: memory stays bounded by history', async () => {
    const hub = new Hub({ history: { maxEvents: 3000 } });
    const sse = new SseServer({ heartbeat: false });
    const first = await hub.publish('t', { data: EVENT });
    for (let i = 1; i < 3000; i++) await hub.publish('t', { data: EVENT });
    const server = await startServer((req, res) =>
      sse.open(req, res, hub.subscribe('t', { lastEventId: first })),
    );
    try {
      // Resume from the oldest id, then read nothing: the replay stops at the socket's pace.
      const client = await rawGet(server.url, '/', { read: false });
      await until(() => hub.stats().replayed > 0, 'the replay to start');
      const before = retained();
      // 15,000 events of 10 KB (150 MB) published while the replay waits: none may pile up for it.
      for (let i = 0; i < 15_000; i++) await hub.publish('t', { data: EVENT });
      const growth = retained() - before;
      // What may grow: history itself, whose 3,000 entries now carry encoded frames (a subscriber
      // exists, so each publish is encoded). Holding the 15,000 live events for the stalled client
      // would add 150 MB on top.
      const historyFrames = 3000 * (EVENT.length + 64);
      assert.ok(
        growth < historyFrames * 1.25 + 5 * 1024 * 1024,
        `grew ${(growth / 1048576).toFixed(1)} MiB; history's frames are ${(historyFrames / 1048576).toFixed(1)} MiB`,
      );
      assert.equal(hub.stats().subscribers, 1, 'the stalled client is still subscribed');
      client.socket.destroy();
      await until(() => hub.stats().subscribers === 0, 'the subscriber to leave');
    } finally {
      await server.close();
      await hub.close();
    }
  });
});
