import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type EventStream } from 'herald/client';
import { collect } from './support/collect.js';
import { openStream, startServer, type TestServer } from './support/sse-server.js';

let server: TestServer | undefined;
afterEach(() => server?.close());

/**
 * Past the delay it chose, how late a reconnection may come on a busy machine (timers fire late,
 * never early): generous, yet far below the delays these tests tell apart.
 */
const LATE = 3_000;

/** Arrival gaps between consecutive requests, in ms. */
const gaps = (s: TestServer) => s.requests.slice(1).map((r, i) => r.at - (s.requests[i]?.at ?? 0));

describe('reconnection', () => {
  test('sends the last event ID received as Last-Event-ID; an empty id resets it', async () => {
    server = await startServer((_req, res, i) => {
      if (i === 2) return void res.writeHead(204).end();
      openStream(res);
      res.end(i === 0 ? 'id: a\ndata: 1\n\nid: b\ndata: 2\n\n' : 'id\ndata: 3\n\n');
    });
    const stream = connect(`${server.url}/`, { retry: { initial: 5, jitter: 0 } });
    const { events, error } = await collect(stream);
    assert.equal(error, undefined);
    assert.deepEqual(
      events.map((e) => [e.data, e.id]),
      [
        ['1', 'a'],
        ['2', 'b'],
        ['3', ''],
      ],
    );
    assert.deepEqual(
      server.requests.map((r) => r.lastEventId),
      [undefined, 'b', undefined],
    );
  });

  test('an id in a block without data still sets Last-Event-ID (HTML 9.2.6, dispatch step 1)', async () => {
    server = await startServer((_req, res, i) => {
      if (i === 1) return void res.writeHead(204).end();
      openStream(res);
      res.end('data: a\n\nid: 5\n\n');
    });
    await collect(connect(`${server.url}/`, { retry: { initial: 5, jitter: 0 } }));
    assert.equal(server.requests[1]?.lastEventId, '5');
  });

  test("waits the server's retry: after the stream ends, not the client's initial delay", async () => {
    let ended = 0;
    server = await startServer((_req, res, i) => {
      if (i === 1) return void res.writeHead(204).end();
      openStream(res);
      res.end('retry: 150\ndata: x\n\n', () => {
        ended = performance.now();
      });
    });
    const stream = connect(`${server.url}/`, { retry: { initial: 30_000, jitter: 0 } });
    await collect(stream);
    const waited = (server.requests[1]?.at ?? 0) - ended;
    // At least the server's 150 ms (2 ms of clock rounding), and nowhere near the initial 30 s.
    assert.ok(waited >= 148 && waited < 150 + LATE, `reconnected after ${waited.toFixed(0)} ms`);
  });

  test('backs off exponentially after failures, up to max', async () => {
    server = await startServer((_req, res, i) => {
      res.writeHead(i < 6 ? 503 : 204).end();
    });
    const stream = connect(`${server.url}/`, { retry: { initial: 50, max: 200, jitter: 0 } });
    const errors: number[] = [];
    stream.onError((e) => errors.push(e.retryIn ?? -1));
    await collect(stream);
    assert.deepEqual(errors, [50, 100, 200, 200, 200, 200]);
    const measured = gaps(server);
    assert.equal(measured.length, 6);
    measured.forEach((gap, i) => {
      const expected = errors[i] as number;
      // Never shorter than the delay announced in retryIn; loose above (a busy machine delays timers).
      assert.ok(gap >= expected - 2 && gap < expected + LATE, `gap ${i}: ${gap.toFixed(0)} ms`);
    });
  });

  test('resets the backoff after a successful open', async () => {
    let ended = 0;
    server = await startServer((_req, res, i) => {
      if (i === 0 || i === 1 || i === 3) return void res.writeHead(503).end();
      if (i === 4) return void res.writeHead(204).end();
      openStream(res);
      res.end('data: x\n\n', () => {
        ended = performance.now();
      });
    });
    const stream = connect(`${server.url}/`, { retry: { initial: 60, max: 60_000, jitter: 0 } });
    const delays: number[] = [];
    stream.onError((e) => delays.push(e.retryIn ?? -1));
    await collect(stream);
    // 503, 503 (backoff 60, 120), open and end (clean: 60), 503 counts as the first failure again.
    assert.deepEqual(delays, [60, 120, 60]);
    const afterOpen = (server.requests[3]?.at ?? 0) - ended;
    assert.ok(
      afterOpen >= 58 && afterOpen < 60 + LATE,
      `reconnected ${afterOpen.toFixed(0)} ms after the end`,
    );
  });

  test('waits Retry-After on 429 and 503', async () => {
    server = await startServer((_req, res, i) => {
      if (i === 0) return void res.writeHead(429, { 'retry-after': '1' }).end();
      res.writeHead(204).end();
    });
    const stream = connect(`${server.url}/`, { retry: { initial: 10, jitter: 0 } });
    const delays: number[] = [];
    stream.onError((e) => delays.push(e.retryIn ?? -1));
    await collect(stream);
    assert.deepEqual(delays, [1000]);
    const gap = gaps(server)[0] ?? 0;
    assert.ok(gap >= 998 && gap < 1000 + LATE, `waited ${gap.toFixed(0)} ms`);
  });

  test('reconnects with Last-Event-ID when the connection breaks mid-stream', async () => {
    server = await startServer(async (_req, res, i) => {
      if (i === 1) return void res.writeHead(204).end();
      openStream(res);
      res.write('id: 7\ndata: before\n\n');
      await sleep(20);
      res.destroy();
    });
    const stream = connect(`${server.url}/`, { retry: { initial: 10, jitter: 0 } });
    const errors = [] as { code: string; fatal: boolean }[];
    stream.onError((e) => errors.push({ code: e.code, fatal: e.fatal }));
    const { events, error } = await collect(stream);
    assert.equal(error, undefined);
    assert.deepEqual(
      events.map((e) => e.data),
      ['before'],
    );
    assert.deepEqual(errors, [{ code: 'NETWORK', fatal: false }]);
    assert.equal(server.requests[1]?.lastEventId, '7');
  });

  test('retries when the server cannot be reached', async () => {
    const gone = await startServer(() => {});
    const url = gone.url;
    await gone.close();
    const stream: EventStream = connect(url, { retry: { initial: 10, jitter: 0 } });
    const errors: string[] = [];
    stream.onError((e) => {
      errors.push(`${e.code}:${e.fatal}`);
      if (errors.length === 3) stream.close();
    });
    await collect(stream);
    assert.deepEqual(errors, ['NETWORK:false', 'NETWORK:false', 'NETWORK:false']);
  });

  test('with retry: false, the stream closes when the response ends', async () => {
    server = await startServer((_req, res) => {
      openStream(res);
      res.end('data: once\n\n');
    });
    const { events, error } = await collect(connect(`${server.url}/`, { retry: false }));
    assert.equal(error, undefined);
    assert.deepEqual(
      events.map((e) => e.data),
      ['once'],
    );
    await sleep(50);
    assert.equal(server.requests.length, 1);
  });
});
