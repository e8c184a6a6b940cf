import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hub } from 'herald/nest';
import { NewsModule, setupNewsApp } from './support/news-app.js';
import { openStream } from './support/read-stream.js';
import { PLATFORMS, startNest } from './support/start-nest.js';

for (const platform of PLATFORMS) {
  describe(`@nestjs/testing with HeraldModule on ${platform}`, () => {
    it('overrideProvider(Hub) swaps the hub every route and HeraldModule use', async () => {
      const hub = new Hub({ authorize: (topic) => topic === 'allowed', maxSubscribersPerTopic: 1 });
      const { app, url } = await startNest(NewsModule, platform, {
        setup: setupNewsApp,
        build: (builder) => builder.overrideProvider(Hub).useValue(hub),
      });
      try {
        assert.equal(app.get(Hub), hub);
        const refused = await openStream(`${url}/news/stream`);
        assert.equal(refused.status, 403, 'the override refuses "headlines"');
        const s = await openStream(`${url}/news/topic?topic=allowed`);
        assert.equal(s.status, 200);
        const id = await hub.publish('allowed', { data: 'hi' });
        await s.until(() => s.events.length === 1, 'the event');
        assert.equal(s.events[0]!.id, id);
        // TOPIC_FULL: a Nest 503 with Retry-After, before any stream byte.
        const full = await openStream(`${url}/news/topic?topic=allowed`);
        assert.equal(full.status, 503, full.body);
        assert.equal(full.headers.get('retry-after'), '5');
        assert.deepEqual(JSON.parse(full.body!), {
          statusCode: 503,
          message: 'Service Unavailable',
          error: 'Service Unavailable',
        });
        s.close();
      } finally {
        await app.close();
      }
      assert.ok(hub.closed, 'closed with the app');
    });
  });
}
