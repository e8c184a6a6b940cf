import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type SseConnection, SseServer } from '#herald/connection/index.js';
import { HeraldError } from '#herald/errors.js';
import { Subject } from 'rxjs';
import { rawGet } from '../support/raw-client.js';
import { sleep, startServer, type TestServer, until } from '../support/http-server.js';

const CAP = 256 * 1024;
const PAYLOAD = 'x'.repeat(1024);

describe('a client that stops reading', () => {
  let server: TestServer;
  const errors: unknown[] = [];
  const sse = new SseServer({
    heartbeat: false,
    maxPendingBytes: CAP,
    onError: (e) => errors.push(e),
  });
  const feed = new Subject<{ data: string; id: string }>();
  const conns: SseConnection[] = [];
  let pulled = 0;

  before(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/pull') {
        const source = (async function* () {
          for (;;) {
            pulled++;
            yield { data: PAYLOAD };
          }
        })();
        conns.push(sse.open(req, res, source) as SseConnection);
        return;
      }
      conns.push(sse.open(req, res, feed) as SseConnection);
    });
  });
  after(() => server.close());

  it('is closed once 4 x the cap waits for it (a push source), while a reading client gets everything', async () => {
    const stalled = await rawGet(server.url, '/', { read: false });
    const reader = await rawGet(server.url, '/');
    await until(() => conns.length === 2, 'both streams to open');
    const [stalledConn] = conns;
    let maxBuffered = 0;
    let sent = 0;
    // Publish in bursts of 16 events per turn until the stalled stream is cut (bounded: 64 MiB).
    while (!stalledConn!.closed && sent < 65_536) {
      for (let i = 0; i < 16; i++) feed.next({ data: PAYLOAD, id: String(sent++) });
      maxBuffered = Math.max(maxBuffered, stalledConn!.bufferedBytes);
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(stalledConn!.closeReason, 'slow-consumer');
    // A push source that cannot be paused is cut once 4 x the cap waits: memory held for it never
    // exceeded that by more than the one turn that crossed it.
    assert.ok(maxBuffered <= 4 * CAP + 16 * (PAYLOAD.length + 64), `buffered ${maxBuffered}`);
    assert.ok(errors.some((e) => e instanceof HeraldError && e.code === 'SLOW_CONSUMER'));
    // (The stalled client's socket is paused, so it will not see the close until it reads.)
    stalled.socket.destroy();
    assert.equal(feed.observed, true, 'the reading client is still subscribed');
    feed.next({ data: 'last', id: 'last' });
    await reader.waitFor('id: last');
    const ids = reader.received().match(/^id: (\d+)$/gm) ?? [];
    assert.equal(ids.length, sent, 'the reading client got every event');
    reader.socket.destroy();
    await until(() => !feed.observed, 'the producer to be released');
  });

  it('a pull source is not pulled while the socket is full, and resumes when the client reads', async () => {
    const client = await rawGet(server.url, '/pull', { read: false });
    await until(() => pulled > 0, 'the first pull');
    let last = -1;
    // The kernel's buffers fill first; then pulling must stop without the stream being closed.
    for (let i = 0; i < 100 && pulled !== last; i++) {
      last = pulled;
      await sleep(50);
    }
    assert.equal(pulled, last, 'pulling stopped');
    const conn = conns.at(-1)!;
    assert.equal(conn.closed, false);
    assert.ok(conn.bufferedBytes < CAP, `buffered ${conn.bufferedBytes}`);
    client.socket.resume();
    client.socket.on('data', () => {});
    await until(() => pulled > last + 100, 'pulling to resume');
    client.socket.destroy();
    await client.ended;
  });
});
