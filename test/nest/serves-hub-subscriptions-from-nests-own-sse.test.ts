import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hub } from 'herald/nest';
import { isObservable } from 'rxjs';
import { NewsModule } from './support/news-app.js';
import { openStream } from './support/read-stream.js';
import { PLATFORMS, type StartedNest, startNest } from './support/start-nest.js';

for (const platform of PLATFORMS) {
  // No global interceptor: Nest's router then checks the handler's value with rxjs's
  // isObservable() itself (the path that answered 500 "You must return an Observable stream").
  describe(`Nest's own @Sse on ${platform} returning hub.subscribe()`, () => {
    let nest: StartedNest;
    before(async () => {
      nest = await startNest(NewsModule, platform);
    });
    after(() => nest.app.close());

    it('is an Observable to rxjs', () => {
      assert.ok(isObservable(nest.app.get(Hub).subscribe('headlines')));
    });

    it("streams the hub events with their ids through Nest's writer", async () => {
      const s = await openStream(`${nest.url}/news/nest-own`);
      assert.equal(s.status, 200, s.body);
      const hub = nest.app.get(Hub);
      const ids = [
        await hub.publish('headlines', { data: { n: 1 }, type: 'headline' }),
        await hub.publish('headlines', { data: { n: 2 }, type: 'headline' }),
      ];
      await s.until(() => s.events.length === 2, 'two events');
      assert.deepEqual(
        s.events.map((e) => [e.type, e.data, e.id]),
        [
          ['headline', '{"n":1}', ids[0]],
          ['headline', '{"n":2}', ids[1]],
        ],
      );
      s.close();
    });
  });
}
