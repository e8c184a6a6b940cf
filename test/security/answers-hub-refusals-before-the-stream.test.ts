import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Controller,
  type HeraldApplication,
  Hub,
  LastEventId,
  Module,
  Param,
  Query,
  Sse,
} from 'herald';
import { rawUntil, startApp } from '../app/http/start-app.js';
import { rawGet } from '../support/raw-client.js';

const hub = new Hub({
  maxSubscribersPerTopic: 1,
  authorize: (topic) => !topic.startsWith('private'),
});

@Controller()
class TopicsController {
  @Sse('topics/:topic')
  topic(@Param('topic') topic: string, @LastEventId() lastEventId: string | undefined) {
    return hub.subscribe(topic, lastEventId === undefined ? {} : { lastEventId });
  }

  @Sse('by-query')
  byQuery(@Query('topic') topic: string) {
    return hub.subscribe(topic);
  }
}

@Module({ controllers: [TopicsController] })
class AppModule {}

describe('Hub refusals answered with a status before the stream starts', () => {
  let app: HeraldApplication;
  let url: string;

  before(async () => {
    ({ app, url } = await startApp(AppModule));
  });
  after(async () => {
    await app.close();
    await hub.close();
  });

  it('answers 403 when the authorize hook refuses (FORBIDDEN_TOPIC)', async () => {
    const res = await fetch(`${url}/topics/private-orders`);
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { statusCode: number }).statusCode, 403);
  });

  it('answers 400 to a topic the hub does not accept (INVALID_TOPIC)', async () => {
    const res = await fetch(`${url}/by-query?topic=${'t'.repeat(300)}`);
    assert.equal(res.status, 400);
    await res.text();
  });

  it('answers 503 with Retry-After past maxSubscribersPerTopic (TOPIC_FULL), hiding the topic name', async () => {
    const held = await rawGet(url, '/topics/news');
    await held.waitFor('HTTP/1.1 200');
    const res = await fetch(`${url}/topics/news`);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
    const body = (await res.json()) as { message: string };
    assert.equal(body.message, 'Service Unavailable');
    held.socket.destroy();
  });

  it('passes a garbage Last-Event-ID on to the hub, which answers it as a gap', async () => {
    const text = await rawUntil(
      url,
      'GET /topics/garbage HTTP/1.1\r\nHost: x\r\nLast-Event-ID: \'"<x>;\xff\r\n\r\n',
      /event: herald:gap\n/,
    );
    assert.match(text, /^HTTP\/1\.1 200/);
  });
});
