import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { heartbeatTimerCount, SseServer } from '#herald/connection/index.js';
import { NEVER, Subject } from 'rxjs';
import { rawGet } from '../support/raw-client.js';
import { sleep, startServer, type TestServer, until } from '../support/http-server.js';

describe('heartbeats', () => {
  let server: TestServer;
  const sse = new SseServer({ heartbeat: 15_000 });
  const busy = new Subject<{ data: string }>();

  before(async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    server = await startServer((req, res) => {
      if (req.url === '/busy') return sse.open(req, res, busy);
      if (req.url === '/quiet') return sse.open(req, res, NEVER, { heartbeat: false });
      if (req.url === '/fast') return sse.open(req, res, NEVER, { heartbeat: 1000 });
      sse.open(req, res, NEVER);
    });
  });
  after(async () => {
    mock.timers.reset();
    await server.close();
  });

  it('writes a comment to idle streams each period, skips busy ones, and honours per-route settings', async () => {
    const idle = await Promise.all([rawGet(server.url, '/'), rawGet(server.url, '/')]);
    const active = await rawGet(server.url, '/busy');
    const quiet = await rawGet(server.url, '/quiet');
    const fast = await rawGet(server.url, '/fast');
    await Promise.all([...idle, active, quiet, fast].map((c) => c.waitFor('\r\n\r\n')));
    assert.equal(heartbeatTimerCount(), 2, 'one timer per distinct period, not per connection');

    const beats = (c: { received(): string }) => c.received().split(':\n\n').length - 1;
    busy.next({ data: 'work' });
    await sleep(20);
    mock.timers.tick(15_000);
    await idle[0]!.waitFor(':\n\n');
    await idle[1]!.waitFor(':\n\n');
    // Each socket's bytes arrive in their own time: wait for what was sent, then check not more.
    await until(() => beats(fast) >= 15, 'the fast route to beat each second');
    assert.equal(beats(active), 0, 'a stream that just wrote needs no heartbeat');
    assert.equal(beats(fast), 15);
    mock.timers.tick(15_000);
    await active.waitFor(':\n\n');
    await until(() => beats(idle[0]!) >= 2, 'the second heartbeat');
    await sleep(20);
    assert.equal(beats(idle[0]!), 2);
    assert.equal(beats(quiet), 0);

    for (const c of [...idle, active, quiet, fast]) c.socket.destroy();
    await Promise.all([...idle, active, quiet, fast].map((c) => c.ended));
    // The server sees the sockets close in its own time; then no timer is left.
    await until(() => heartbeatTimerCount() === 0, 'the heartbeat timers to stop');
  });
});
