import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { rawRequest, rawUntil } from '../app/http/start-app.js';
import { sleep, until } from '../support/http-server.js';
import { ResumingClient } from '../support/resuming-client.js';
import { type HubApp, startHubApp } from './support/hub-app.js';

const seen: string[] = [];

/** `user-<name>` topics are for the caller whose x-user header is <name>; `news` is for anyone. */
async function authorize(topic: string, req: unknown): Promise<boolean> {
  seen.push(topic);
  await sleep(1);
  if (topic === 'news') return true;
  const user = (req as IncomingMessage).headers['x-user'];
  return topic === `user-${user}`;
}

function get(path: string, headers: Record<string, string> = {}): string {
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return `GET ${path} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nConnection: close\r\n${extra}\r\n`;
}

describe('HubModule authorize hook and per-topic cap', () => {
  let h: HubApp;
  before(async () => {
    h = await startHubApp({ authorize, maxSubscribersPerTopic: 2 });
  });
  after(() => h.close());

  it('refuses a topic with 403 JSON before any stream byte, asking per topic', async () => {
    seen.length = 0;
    const text = await rawRequest(h.url, get('/stream?topics=news,user-ada', { 'x-user': 'bob' }));
    const [head, body] = text.split('\r\n\r\n');
    assert.match(head!, /^HTTP\/1\.1 403 /);
    assert.match(head!, /content-type: application\/json/i);
    assert.doesNotMatch(text, /text\/event-stream/);
    assert.equal(JSON.parse(body!).statusCode, 403);
    assert.deepEqual(seen, ['news', 'user-ada']);
    assert.equal(h.hub.stats().subscribers, 0, 'the refused subscriber was never added');
  });

  it('streams an allowed topic', async () => {
    const client = new ResumingClient(`${h.stream(['news'])}`);
    await client.connect();
    await until(() => h.hub.stats().topics.news === 1, 'the subscriber to be added');
    const id = await h.hub.publish('news', { data: 'hello' });
    await client.received(1);
    client.close();
    assert.deepEqual(client.events, [{ id, type: 'message', data: 'hello' }]);
    await until(() => h.hub.stats().subscribers === 0, 'the subscriber to be removed');
  });

  it('passes the request as context: a user may read their own topic', async () => {
    // An allowed stream stays open: read until its head arrives.
    const text = await rawUntil(
      h.url,
      get('/stream?topics=user-ada', { 'x-user': 'ada' }),
      /\r\n\r\n/,
    );
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.match(text, /content-type: text\/event-stream/i);
  });

  it('answers 503 past maxSubscribersPerTopic, and admits again once one leaves', async () => {
    await until(() => h.hub.stats().subscribers === 0, 'earlier streams to end');
    const first = new ResumingClient(h.stream('news'));
    const second = new ResumingClient(h.stream('news'));
    await first.connect();
    await second.connect();
    await until(() => h.hub.stats().topics.news === 2, 'two subscribers');
    const full = await rawRequest(h.url, get('/stream?topics=news'));
    assert.match(full, /^HTTP\/1\.1 503 /);
    assert.doesNotMatch(full, /text\/event-stream/);
    assert.equal(h.hub.stats().topics.news, 2);
    first.close();
    await until(() => h.hub.stats().topics.news === 1, 'one to leave');
    const third = new ResumingClient(h.stream('news'));
    await third.connect();
    await until(() => h.hub.stats().topics.news === 2, 'the newcomer to be admitted');
    second.close();
    third.close();
  });
});
