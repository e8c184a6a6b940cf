import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, HeraldClientError, ReadyState, type ServerEvent } from 'herald/client';
import { firstValueFrom, from, take, toArray } from 'rxjs';
import { collect } from './support/collect.js';
import { openStream, startServer, type TestServer } from './support/sse-server.js';

let server: TestServer | undefined;
afterEach(() => server?.close());

interface Alert {
  level: 'info' | 'critical';
  text: string;
}
interface Update {
  version: number;
}
type Events = { alert: Alert; update: Update };

/** A server that sends `body` and keeps the response open until the client leaves. */
async function holdOpen(body: string): Promise<{ server: TestServer; left: Promise<void> }> {
  let leave: () => void = () => {};
  const left = new Promise<void>((resolve) => {
    leave = resolve;
  });
  const s = await startServer((_req, res) => {
    openStream(res);
    res.write(body);
    res.on('close', leave);
  });
  return { server: s, left };
}

describe('typed events and JSON', () => {
  test('on(type) delivers JSON-parsed data typed by the event map', async () => {
    server = await startServer((_req, res) => {
      openStream(res);
      res.end(
        'event: alert\nid: 1\ndata: {"level":"critical",\ndata: "text":"disk"}\n\n' +
          'event: update\ndata: {"version":3}\n\nevent: alert\ndata: {"level":"info","text":"ok"}\n\n',
      );
    });
    const stream = connect<Events>(`${server.url}/`, { json: true, retry: false });
    const alerts: Alert[] = [];
    const versions: number[] = [];
    stream.on('alert', (e) => {
      const level: 'info' | 'critical' = e.data.level;
      // @ts-expect-error an alert has no version
      void e.data.version;
      alerts.push({ level, text: e.data.text });
    });
    const off = stream.on('update', (e: ServerEvent<'update', Update>) =>
      versions.push(e.data.version),
    );
    // @ts-expect-error not an event of the map
    stream.on('nope', () => {});
    const { events } = await collect(stream);
    off();
    assert.deepEqual(alerts, [
      { level: 'critical', text: 'disk' },
      { level: 'info', text: 'ok' },
    ]);
    assert.deepEqual(versions, [3]);
    assert.deepEqual(
      events.map((e) => (e.type === 'update' ? e.data.version : e.data.level)),
      ['critical', 3, 'info'],
    );
    assert.equal(events[0]?.id, '1');
    assert.equal(events[2]?.id, '1', 'the id persists');
  });

  test('invalid JSON is reported as a non-fatal INVALID_JSON and the event skipped', async () => {
    server = await startServer((_req, res) => {
      openStream(res);
      res.end('data: {"a":1}\n\ndata: {oops\n\ndata: [2]\n\n');
    });
    const stream = connect<{ message: unknown }>(`${server.url}/`, { json: true, retry: false });
    const errors: string[] = [];
    stream.onError((e) => errors.push(`${e.code}:${e.fatal}`));
    const { events, error } = await collect(stream);
    assert.equal(error, undefined);
    assert.deepEqual(
      events.map((e) => e.data),
      [{ a: 1 }, [2]],
    );
    assert.deepEqual(errors, ['INVALID_JSON:false']);
  });

  test('without json, data stays a string; the default map is Record<string, string>', async () => {
    server = await startServer((_req, res) => {
      openStream(res);
      res.end('data: {"a":1}\n\n');
    });
    const stream = connect(`${server.url}/`, { retry: false });
    let seen = '';
    stream.on('message', (e) => {
      seen = e.data.toUpperCase();
    });
    await collect(stream);
    assert.equal(seen, '{"A":1}');
  });

  test('an unsubscribed listener gets nothing more; onOpen sees status and headers', async () => {
    server = await startServer((_req, res) => {
      openStream(res);
      res.end('data: 1\n\ndata: 2\n\n');
    });
    const stream = connect(`${server.url}/`, { retry: false });
    const got: string[] = [];
    const off = stream.on('message', (e) => {
      got.push(e.data);
      off();
    });
    const opened: string[] = [];
    stream.onOpen((info) => opened.push(`${info.status} ${info.headers.get('content-type')}`));
    await collect(stream);
    assert.deepEqual(got, ['1']);
    assert.deepEqual(opened, ['200 text/event-stream']);
  });
});

describe('async iteration', () => {
  test('ends when close() is called, inside the loop or while waiting', async () => {
    const held = await holdOpen('data: a\n\ndata: b\n\n');
    server = held.server;
    const stream = connect(`${server.url}/`);
    const seen: string[] = [];
    for await (const event of stream) {
      seen.push(event.data);
      if (seen.length === 2) setTimeout(() => stream.close(), 20);
    }
    assert.deepEqual(seen, ['a', 'b']);
    assert.equal(stream.readyState, ReadyState.CLOSED);
    await held.left;
  });

  test('break closes the stream when it was the last consumer', async () => {
    const held = await holdOpen('data: a\n\ndata: b\n\n');
    server = held.server;
    const stream = connect(`${server.url}/`);
    for await (const _ of stream) break;
    assert.equal(stream.readyState, ReadyState.CLOSED);
    await held.left;
  });

  test('a fatal error is thrown after the events already received', async () => {
    server = await startServer((_req, res) => void res.writeHead(403).end());
    const { events, error } = await collect(connect(`${server.url}/`));
    assert.deepEqual(events, []);
    assert.ok(error instanceof HeraldClientError);
    assert.equal(error.status, 403);
  });

  test('an aborted signal fails iteration with ABORTED and stops the request', async () => {
    const held = await holdOpen('data: a\n\n');
    server = held.server;
    const controller = new AbortController();
    const stream = connect(`${server.url}/`, { signal: controller.signal });
    stream.on('message', () => controller.abort(new Error('user left')));
    const { events, error } = await collect(stream);
    assert.deepEqual(
      events.map((e) => e.data),
      ['a'],
    );
    assert.equal(error?.code, 'ABORTED');
    assert.equal((error?.cause as Error | undefined)?.message, 'user left');
    await held.left;
  });

  test('an already aborted signal makes no request', async () => {
    server = await startServer((_req, res) => void res.writeHead(204).end());
    const { error } = await collect(connect(`${server.url}/`, { signal: AbortSignal.abort() }));
    assert.equal(error?.code, 'ABORTED');
    await sleep(30);
    assert.equal(server.requests.length, 0);
  });
});

describe('Observable interop', () => {
  test('rxjs from() takes the stream; unsubscribing the last subscriber closes it', async () => {
    const held = await holdOpen(
      'event: update\ndata: {"version":1}\n\nevent: update\ndata: {"version":2}\n\n',
    );
    server = held.server;
    const stream = connect<Events>(`${server.url}/`, { json: true });
    const events = await firstValueFrom(from(stream).pipe(take(2), toArray()));
    assert.deepEqual(
      events.map((e) => e.type === 'update' && e.data.version),
      [1, 2],
    );
    assert.equal(stream.readyState, ReadyState.CLOSED);
    await held.left;
  });

  test('subscribe(): next per event, complete on close, error on a fatal error', async () => {
    server = await startServer((req, res) => {
      if (req.path === '/missing') return void res.writeHead(404).end();
      openStream(res);
      res.end('data: 1\n\ndata: 2\n\n');
    });
    const log: string[] = [];
    const stream = connect(`${server.url}/`, { retry: false });
    const subscription = stream.subscribe({
      next: (e) => log.push(`next ${e.data}`),
      complete: () => log.push('complete'),
    });
    await collect(stream);
    assert.deepEqual(log, ['next 1', 'next 2', 'complete']);
    assert.equal(subscription.closed, true);

    const failing = connect(`${server.url}/missing`);
    const error = await new Promise<HeraldClientError>((resolve) => {
      failing.subscribe({ error: resolve });
    });
    assert.equal(error.status, 404);
  });
});

describe('close()', () => {
  test('during a backoff wait: no further request and no pending timer', async () => {
    server = await startServer((_req, res) => void res.writeHead(503).end());
    const stream = connect(`${server.url}/`, { retry: { initial: 60_000, jitter: 0 } });
    await new Promise<void>((resolve) => stream.onError(() => resolve()));
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    stream.close();
    const timersAfter = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    assert.equal(timersAfter, timersBefore - 1, 'the reconnection timer is cleared');
    await sleep(30);
    assert.equal(server.requests.length, 1);
    assert.equal(stream.readyState, ReadyState.CLOSED);
  });

  test('during an open response: the request is aborted', async () => {
    const held = await holdOpen(': hello\n\n');
    server = held.server;
    const stream = connect(`${server.url}/`);
    await new Promise<void>((resolve) => stream.onOpen(() => resolve()));
    assert.equal(stream.readyState, ReadyState.OPEN);
    stream.close();
    stream.close();
    await held.left;
    assert.equal(server.requests.length, 1);
  });
});
