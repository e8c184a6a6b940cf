import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type SseConnection, SseServer } from '#herald/connection/index.js';
import { Subject } from 'rxjs';
import { rawGet } from '../support/raw-client.js';
import { sleep, startServer, type TestServer, until } from '../support/http-server.js';

const CAP = 64 * 1024;
const STALL_MS = 300;

describe('the slow-consumer cap judges progress, not bursts', () => {
  let server: TestServer;
  const sse = new SseServer({ heartbeat: false, maxPendingBytes: CAP, maxStallMs: STALL_MS });
  const feed = new Subject<{ data: string; id: string }>();
  const conns: SseConnection[] = [];

  before(async () => {
    server = await startServer((req, res) => {
      conns.push(sse.open(req, res, feed) as SseConnection);
    });
  });
  after(() => server.close());

  it('a reading client takes a burst of 3 x the cap in one turn, and one event larger than the cap', async () => {
    conns.length = 0;
    const reader = await rawGet(server.url, '/');
    await until(() => conns.length === 1, 'the stream to open');
    // 48 x 4 KiB = 192 KiB in one synchronous burst: 3 x the cap, all queued in one turn.
    for (let i = 0; i < 48; i++) feed.next({ data: 'b'.repeat(4096), id: `b${i}` });
    await reader.waitFor('id: b47', 30_000);
    // One event of 3 x the cap, alone, and one after it.
    feed.next({ data: 'L'.repeat(3 * CAP), id: 'large' });
    feed.next({ data: 'after', id: 'after' });
    await reader.waitFor('id: after', 30_000);
    const body = reader.received();
    assert.equal((body.match(/^id: b\d+$/gm) ?? []).length, 48, 'every burst event arrived');
    assert.ok(body.includes('L'.repeat(3 * CAP)), 'the large event arrived whole');
    assert.equal(conns[0]!.closed, false, 'the reading client was not cut');
    assert.equal(sse.stats().closed['slow-consumer'], 0);
    reader.socket.destroy();
    await until(() => conns[0]!.closed, 'the stream to close');
  });

  it('a client that stops reading over the cap is cut once its unsent bytes stop shrinking for maxStallMs', async () => {
    conns.length = 0;
    const stalled = await rawGet(server.url, '/', { read: false });
    await until(() => conns.length === 1, 'the stream to open');
    const conn = conns[0]!;
    // Fill the kernel's buffers, then put well over the cap (but under 4 x) in the queue, once.
    let sent = 0;
    while (conn.bufferedBytes <= CAP && sent < 100_000) {
      feed.next({ data: 'x'.repeat(8192), id: String(sent++) });
      await new Promise((r) => setImmediate(r));
    }
    for (let i = 0; i < 8; i++) feed.next({ data: 'x'.repeat(8192), id: String(sent++) });
    await new Promise((r) => setImmediate(r));
    const overAt = Date.now();
    assert.ok(conn.bufferedBytes > CAP, `buffered ${conn.bufferedBytes}`);
    assert.equal(conn.closed, false, 'a burst over the cap is not a slow consumer by itself');
    await until(() => conn.closed, 'the stalled client to be cut', 30_000);
    assert.equal(conn.closeReason, 'slow-consumer');
    // Judged on progress over time: never before the stall limit.
    assert.ok(Date.now() - overAt >= STALL_MS - 5, `cut after ${Date.now() - overAt} ms`);
    stalled.socket.destroy();
  });

  it('a slow client that keeps reading is not cut while its backlog shrinks', async () => {
    const patient = new SseServer({ heartbeat: false, maxPendingBytes: CAP, maxStallMs: 3_000 });
    const own: SseConnection[] = [];
    const s = await startServer((req, res) => {
      own.push(patient.open(req, res, feed) as SseConnection);
    });
    after(() => s.close());
    const slow = await rawGet(s.url, '/', { read: false });
    await until(() => own.length === 1, 'the stream to open');
    const conn = own[0]!;
    let sent = 0;
    while (conn.bufferedBytes <= 2 * CAP && sent < 100_000) {
      feed.next({ data: 'y'.repeat(8192), id: String(sent++) });
      await new Promise((r) => setImmediate(r));
    }
    feed.next({ data: 'end', id: 'end' });
    // Read in small sips, pausing between them, for longer than the stall limit.
    let got = '';
    slow.socket.on('data', (c: Buffer) => {
      got += c.toString('latin1');
      slow.socket.pause();
      setTimeout(() => slow.socket.resume(), 5);
    });
    slow.socket.resume();
    await until(() => got.includes('id: end') || conn.closed, 'the slow client to finish', 60_000);
    assert.equal(conn.closed, false, 'never cut while it made progress');
    assert.ok(got.includes('id: end'));
    slow.socket.destroy();
    await sleep(10);
  });
});
