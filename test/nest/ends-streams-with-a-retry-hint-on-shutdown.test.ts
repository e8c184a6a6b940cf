import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Module } from '@nestjs/common';
import { HeraldModule, Hub } from 'herald/nest';
import { NewsController, Producers, TokenGuard } from './support/news-app.js';
import { openStream } from './support/read-stream.js';
import { PLATFORMS, startNest } from './support/start-nest.js';

@Module({
  imports: [HeraldModule.forRoot({ shutdown: { retry: 1_000, retryJitter: 500 } })],
  controllers: [NewsController],
  providers: [Producers, TokenGuard],
})
class ShuttingDownModule {}

for (const platform of PLATFORMS) {
  describe(`herald/nest on ${platform}: shutdown`, () => {
    it('ends every stream with a retry hint spread over [retry, retry + jitter] and closes the hub', async () => {
      const { app, url } = await startNest(ShuttingDownModule, platform);
      const hub = app.get(Hub);
      const producers = app.get(Producers);
      const streams = [];
      for (let i = 0; i < 6; i++) streams.push(await openStream(`${url}/news/stream`));
      streams.push(await openStream(`${url}/news/quiet`));
      assert.ok(streams.every((s) => s.status === 200));
      assert.equal(producers.alive, 1);
      await app.close();
      for (const s of streams) {
        await s.until(s.ended, 'the stream ends');
        const retry = s.retry();
        assert.ok(retry !== undefined && retry >= 1_000 && retry <= 1_500, `retry ${retry}`);
      }
      assert.equal(producers.alive, 0);
      assert.ok(hub.closed);
    });
  });
}
