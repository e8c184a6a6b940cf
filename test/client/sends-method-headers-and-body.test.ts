import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { connect } from 'herald/client';
import { collect } from './support/collect.js';
import { openStream, startServer, type TestServer } from './support/sse-server.js';

let server: TestServer | undefined;
afterEach(() => server?.close());

test('method, headers, body and the starting lastEventId reach the server', async () => {
  server = await startServer((_req, res) => {
    openStream(res);
    res.end('data: ok\n\n');
  });
  const stream = connect(`${server.url}/chat`, {
    method: 'POST',
    headers: { authorization: 'Bearer s3cret', 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'hi' }),
    lastEventId: 'r\u00e9sum\u00e9-42',
    retry: false,
  });
  await collect(stream);
  const [req] = server.requests;
  assert.equal(req?.method, 'POST');
  assert.equal(req?.path, '/chat');
  assert.equal(req?.headers.authorization, 'Bearer s3cret');
  assert.equal(req?.headers['content-type'], 'application/json');
  assert.equal(req?.headers.accept, 'text/event-stream');
  assert.equal(req?.body, '{"prompt":"hi"}');
  assert.equal(req?.lastEventId, 'r\u00e9sum\u00e9-42', 'sent as UTF-8');
});

test('the body is sent again and the headers function called again on every reconnection', async () => {
  server = await startServer((_req, res, i) => {
    if (i === 2) return void res.writeHead(204).end();
    openStream(res);
    res.end(`id: ${i}\ndata: ${i}\n\n`);
  });
  let token = 0;
  const stream = connect(`${server.url}/`, {
    method: 'PUT',
    headers: async () => ({ authorization: `Bearer t${++token}` }),
    body: new URLSearchParams({ topic: 'news' }),
    retry: { initial: 5, jitter: 0 },
  });
  await collect(stream);
  assert.deepEqual(
    server.requests.map((r) => [r.method, r.headers.authorization, r.body, r.lastEventId]),
    [
      ['PUT', 'Bearer t1', 'topic=news', undefined],
      ['PUT', 'Bearer t2', 'topic=news', '0'],
      ['PUT', 'Bearer t3', 'topic=news', '1'],
    ],
  );
});

test('uses the fetch it is given', async () => {
  const seen: string[] = [];
  const fakeFetch: typeof fetch = async (input) => {
    seen.push(String(input));
    return new Response('data: from a fake\n\n', {
      headers: { 'content-type': 'text/event-stream' },
    });
  };
  const { events } = await collect(
    connect('https://example.test/feed', { fetch: fakeFetch, retry: false }),
  );
  assert.deepEqual(
    events.map((e) => e.data),
    ['from a fake'],
  );
  assert.deepEqual(seen, ['https://example.test/feed']);
});
