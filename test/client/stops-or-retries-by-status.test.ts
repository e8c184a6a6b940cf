import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isHeraldError } from '#herald/errors.js';
import { connect, HeraldClientError, ReadyState } from 'herald/client';
import { collect } from './support/collect.js';
import { openStream, startServer, type TestServer } from './support/sse-server.js';

let server: TestServer | undefined;
afterEach(() => server?.close());

const fast = { retry: { initial: 5, max: 20, jitter: 0 } };

describe('statuses', () => {
  test('204 ends the stream without an error and without reconnecting', async () => {
    server = await startServer((_req, res) => void res.writeHead(204).end());
    const stream = connect(`${server.url}/`, fast);
    const errors: unknown[] = [];
    stream.onError((e) => errors.push(e));
    const { events, error } = await collect(stream);
    assert.deepEqual([events, error, errors], [[], undefined, []]);
    assert.equal(stream.readyState, ReadyState.CLOSED);
    await sleep(60);
    assert.equal(server.requests.length, 1);
  });

  for (const status of [400, 401, 403, 404, 405, 406, 410, 422, 501]) {
    test(`${status} is fatal: HTTP_STATUS, no further request`, async () => {
      server = await startServer((_req, res) => void res.writeHead(status).end('nope'));
      const stream = connect(`${server.url}/`, fast);
      const { error } = await collect(stream);
      assert.ok(error instanceof HeraldClientError);
      assert.ok(isHeraldError(error, 'HTTP_STATUS'));
      assert.equal(error.status, status);
      assert.equal(error.fatal, true);
      assert.equal(error.retryIn, undefined);
      assert.equal(stream.readyState, ReadyState.CLOSED);
      await sleep(60);
      assert.equal(server.requests.length, 1);
    });
  }

  for (const status of [500, 502, 503, 504, 429, 408]) {
    test(`${status} is retried with backoff`, async () => {
      server = await startServer((_req, res, i) => {
        if (i < 2) return void res.writeHead(status).end();
        openStream(res);
        res.end('data: finally\n\n');
      });
      const stream = connect(`${server.url}/`, { ...fast, retry: false as const });
      const { error } = await collect(stream);
      assert.equal(error?.status, status, 'with retry: false the first failure is fatal');

      const retrying = connect(`${server.url}/`, fast);
      const reported: [number | undefined, boolean][] = [];
      retrying.onError((e) => reported.push([e.status, e.fatal]));
      const { events } = await collect(retrying, 1);
      assert.deepEqual(
        events.map((e) => e.data),
        ['finally'],
      );
      assert.deepEqual(reported, [[status, false]]);
      assert.equal(server.requests.length, 3);
    });
  }

  test('a 200 that is not text/event-stream is fatal: CONTENT_TYPE, no further request', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":"x"}');
    });
    const stream = connect(`${server.url}/`, fast);
    const { events, error } = await collect(stream);
    assert.deepEqual(events, []);
    assert.equal(error?.code, 'CONTENT_TYPE');
    assert.equal(error?.fatal, true);
    await sleep(60);
    assert.equal(server.requests.length, 1);
  });

  test('follows redirects (fetch does)', async () => {
    server = await startServer((req, res) => {
      if (req.path === '/old') return void res.writeHead(302, { location: '/new' }).end();
      openStream(res);
      res.end('data: moved\n\n');
    });
    const { events } = await collect(connect(`${server.url}/old`, { retry: false }));
    assert.deepEqual(
      events.map((e) => e.data),
      ['moved'],
    );
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/old', '/new'],
    );
  });
});
