import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NewsModule, Producers, setupNewsApp } from './support/news-app.js';
import { openStream } from './support/read-stream.js';
import { PLATFORMS, type StartedNest, startNest } from './support/start-nest.js';

for (const platform of PLATFORMS) {
  describe(`herald/nest on ${platform}: streams`, () => {
    let nest: StartedNest;
    before(async () => {
      nest = await startNest(NewsModule, platform, { setup: setupNewsApp });
    });
    after(() => nest.app.close());

    for (const kind of ['observable', 'iterable', 'readable-stream', 'event-target']) {
      it(`streams a handler's ${kind}, spec-encoded, to its end`, async () => {
        const s = await openStream(`${nest.url}/news/kinds?kind=${kind}`);
        assert.equal(s.status, 200, s.body);
        assert.equal(s.headers.get('content-type'), 'text/event-stream');
        await s.until(s.ended, 'the stream ends');
        assert.deepEqual(
          s.events.filter((e) => e.type === 'message').map((e) => e.data),
          ['one', 'two', 'three'],
        );
        if (kind === 'event-target') assert.equal(s.events.at(-1)?.type, 'close');
      });
    }

    it("ends with an error event carrying an HttpException's status after the first byte", async () => {
      const s = await openStream(`${nest.url}/news/kinds?kind=fails`);
      assert.equal(s.status, 200);
      await s.until(s.ended, 'the stream ends');
      assert.deepEqual(
        s.events.map((e) => [e.type, e.data]),
        [
          ['message', 'one'],
          ['error', '{"statusCode":403,"message":"no longer yours"}'],
        ],
      );
    });

    it('answers 204 when the handler returns nothing', async () => {
      const res = await fetch(`${nest.url}/news/kinds?kind=none`);
      assert.equal(res.status, 204);
    });

    it('streams a POST route: 200 text/event-stream from the validated body, with its retry', async () => {
      const s = await openStream(`${nest.url}/news/ask`, {
        method: 'POST',
        body: { question: 'what is new' },
      });
      assert.equal(s.status, 200, s.body);
      assert.equal(s.headers.get('content-type'), 'text/event-stream');
      await s.until(s.ended, 'the stream ends');
      assert.equal(s.retry(), 1500);
      assert.deepEqual(
        s.events.map((e) => [e.type, e.data]),
        [
          ['word', 'what'],
          ['word', 'is'],
          ['word', 'new'],
        ],
      );
    });

    it('delivers hub events to every subscriber under the global { data } interceptor', async () => {
      const a = await openStream(`${nest.url}/news/stream`);
      const b = await openStream(`${nest.url}/news/stream`);
      assert.equal(a.status, 200);
      const res = await fetch(`${nest.url}/news`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Hello' }),
      });
      assert.equal(res.status, 202);
      const { data } = (await res.json()) as { data: { id: string } };
      for (const s of [a, b]) {
        await s.until(() => s.events.length === 1, 'one event');
        assert.deepEqual(s.events, [{ type: 'headline', data: '{"title":"Hello"}', id: data.id }]);
        s.close();
      }
    });

    it('sends heartbeat comments to an idle stream', async () => {
      const s = await openStream(`${nest.url}/news/quiet`);
      await s.until(() => s.comments() >= 2, 'two heartbeats');
      assert.equal(s.events.length, 0);
      s.close();
      await s.until(() => nest.app.get(Producers).alive === 0, 'its producer ends');
    });

    it('cancels the producer when the client leaves', async () => {
      const producers = nest.app.get(Producers);
      const s = await openStream(`${nest.url}/news/quiet`);
      assert.equal(s.status, 200);
      // Subscribed before the head went out: the heartbeat test's stream may still be leaving.
      await s.until(() => producers.alive >= 1, 'the producer runs');
      const started = producers.started;
      s.close();
      await s.until(() => producers.alive === 0, 'the producer is unsubscribed');
      assert.equal(producers.started, started, 'no producer started meanwhile');
    });

    it('carries CORS headers from app.enableCors() onto the stream head', async () => {
      const s = await openStream(`${nest.url}/news/stream`, {
        headers: { origin: 'https://news.example' },
      });
      assert.equal(s.status, 200);
      assert.equal(s.headers.get('access-control-allow-origin'), 'https://news.example');
      s.close();
    });
  });
}
