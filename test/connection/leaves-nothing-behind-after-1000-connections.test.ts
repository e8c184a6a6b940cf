import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { heartbeatTimerCount, SseServer } from '#herald/connection/index.js';
import { fromEvent, map } from 'rxjs';
import { rawGet } from '../support/raw-client.js';
import { startServer, type TestServer, until } from '../support/http-server.js';

describe('1,000 connect/disconnect cycles', () => {
  let server: TestServer;
  const sse = new SseServer({ heartbeat: 15_000, retry: 1000 });
  const bus = new EventEmitter();
  bus.setMaxListeners(0);

  before(async () => {
    // Seed 001's shape: every client subscribes to a shared emitter, filtered per client.
    server = await startServer((req, res) =>
      sse.open(
        req,
        res,
        fromEvent(bus, 'verified').pipe(map((data) => ({ data: data as object }))),
      ),
    );
  });
  after(() => server.close());

  it('returns listeners, timers, handles and open streams to their baseline', async () => {
    // Warm up once so lazily created handles (the server's own) are in the baseline.
    const warm = await rawGet(server.url, '/');
    await warm.waitFor('retry: 1000');
    warm.socket.destroy();
    await until(() => sse.size === 0, 'the warm-up stream to close');
    const baseline = process.getActiveResourcesInfo().length;

    for (let round = 0; round < 20; round++) {
      const clients = await Promise.all(Array.from({ length: 50 }, () => rawGet(server.url, '/')));
      await Promise.all(clients.map((c) => c.waitFor('retry: 1000')));
      assert.equal(bus.listenerCount('verified'), 50);
      assert.equal(heartbeatTimerCount(), 1, 'one heartbeat timer for all connections');
      bus.emit('verified', { email: 'a@b.c', round });
      await Promise.all(clients.map((c) => c.waitFor(`"round":${round}`)));
      for (const c of clients) c.socket.destroy();
      await Promise.all(clients.map((c) => c.ended));
      // The server sees them leave in its own time; the next round counts only its own.
      await until(() => sse.size === 0, 'every stream of the round to close');
    }

    assert.equal(bus.listenerCount('verified'), 0);
    assert.equal(heartbeatTimerCount(), 0);
    await until(
      () => process.getActiveResourcesInfo().length <= baseline,
      'handles to return to baseline',
    );
    const stats = sse.stats();
    assert.equal(stats.opened, 1001);
    assert.equal(stats.closed.client, 1001);
  });
});
