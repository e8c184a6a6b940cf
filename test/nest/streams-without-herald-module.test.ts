import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Controller, Module } from '@nestjs/common';
import { Sse } from 'herald/nest';
import { interval, map, take } from 'rxjs';
import { openStream } from './support/read-stream.js';
import { PLATFORMS, startNest } from './support/start-nest.js';

@Controller()
class TicksController {
  @Sse('ticks', { retry: 250 })
  ticks() {
    return interval(5).pipe(
      take(3),
      map((n) => ({ data: { n }, id: String(n) })),
    );
  }
}

/** `Sse` from herald/nest alone: no HeraldModule, no hub. */
@Module({ controllers: [TicksController] })
class BareModule {}

for (const platform of PLATFORMS) {
  describe(`herald/nest's Sse without HeraldModule on ${platform}`, () => {
    it("streams through Herald's engine with its defaults", async () => {
      const { app, url } = await startNest(BareModule, platform);
      try {
        const s = await openStream(`${url}/ticks`);
        assert.equal(s.status, 200);
        await s.until(s.ended, 'the stream ends');
        assert.equal(s.retry(), 250);
        assert.deepEqual(
          s.events.map((e) => [e.data, e.id]),
          [
            ['{"n":0}', '0'],
            ['{"n":1}', '1'],
            ['{"n":2}', '2'],
          ],
        );
      } finally {
        await app.close();
      }
    });
  });
}
