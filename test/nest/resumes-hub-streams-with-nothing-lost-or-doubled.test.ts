import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hub } from 'herald/nest';
import { NewsModule, setupNewsApp } from './support/news-app.js';
import { openStream } from './support/read-stream.js';
import { PLATFORMS, type StartedNest, startNest } from './support/start-nest.js';

for (const platform of PLATFORMS) {
  describe(`herald/nest on ${platform}: resuming`, () => {
    let nest: StartedNest;
    before(async () => {
      nest = await startNest(NewsModule, platform, { setup: setupNewsApp });
    });
    after(() => nest.app.close());

    for (const route of ['/news/stream', '/news/nest-own']) {
      it(`${route}: a client cut mid-stream resumes by Last-Event-ID with every event once, in order`, async () => {
        const hub = nest.app.get(Hub);
        const first = await openStream(`${nest.url}${route}`);
        assert.equal(first.status, 200);
        const titles = Array.from({ length: 40 }, (_, i) => `${route} ${i}`);
        // Publish while the first connection reads, cut it part way, keep publishing.
        const publishing = (async () => {
          for (const title of titles) {
            await hub.publish('headlines', { data: { title }, type: 'headline' });
            await new Promise((r) => setImmediate(r));
          }
        })();
        await first.until(() => first.events.length >= 10, 'ten events');
        first.close();
        const seen = first.events.filter((e) => e.data.includes(route));
        const last = seen.at(-1)!.id!;
        await publishing;
        const second = await openStream(`${nest.url}${route}`, { lastEventId: last });
        const mine = () => second.events.filter((e) => e.data.includes(route));
        await second.until(
          () => seen.length + mine().length >= titles.length,
          'the rest of the events',
        );
        const all = [...seen, ...mine()].map((e) => JSON.parse(e.data).title);
        assert.deepEqual(all, titles);
        second.close();
      });
    }
  });
}
