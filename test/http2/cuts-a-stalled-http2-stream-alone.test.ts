import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, HeraldFactory, type HeraldApplication, Module, Sse } from 'herald';
import { Subject } from 'rxjs';
import { connectH2, openStream } from '../support/h2-client.js';
import { until } from '../support/http-server.js';
import { testCertificate } from '../support/tls.js';

// A push source shared by both streams: 1 KiB events, faster than a stalled stream can take.
const feed = new Subject<{ data: string }>();
const errors: unknown[] = [];

@Controller()
class FeedController {
  @Sse('feed')
  stream() {
    return feed;
  }
}

@Module({ controllers: [FeedController] })
class AppModule {}

describe('a stalled HTTP/2 stream is cut as a slow consumer; its sibling on the session is not', () => {
  let app: HeraldApplication;
  before(async () => {
    app = await HeraldFactory.create(AppModule, {
      logger: false,
      https: testCertificate(),
      http2: true,
      sse: {
        heartbeat: false,
        maxPendingBytes: 64 * 1024,
        maxStallMs: 300,
        onError: (err) => errors.push(err),
      },
    });
    await app.listen(0, '127.0.0.1');
  });
  after(() => app.close());

  it('cuts the stream whose window is exhausted, and the reading one gets every event', async () => {
    const session = connectH2(app.getUrl());
    try {
      const reader = openStream(session, '/feed');
      const stalled = openStream(session, '/feed', { read: false });
      await Promise.all([reader.head, stalled.head]);
      const line = 'x'.repeat(1000);
      let sent = 0;
      // About 2 MiB in small bursts, one per turn: the stalled stream's 64 KiB window fills, then
      // unsent bytes pile up in its own buffer, past the cap, and stop shrinking.
      while (sent < 2000) {
        for (let i = 0; i < 20; i++) feed.next({ data: `${sent++} ${line}` });
        await new Promise((r) => setImmediate(r));
        if (sent % 200 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      await until(
        () => errors.some((e) => (e as { code?: string }).code === 'SLOW_CONSUMER'),
        'a SLOW_CONSUMER report',
        10_000,
      );
      // A paused client stream only reports its reset once what it buffered has been read.
      stalled.stream.resume();
      const { rstCode } = await stalled.closed;
      assert.equal(rstCode, 0x8, 'the stalled stream was reset (CANCEL), not ended');
      assert.equal(errors.length, 1, 'only the stalled stream was cut');
      await reader.waitFor(`1999 ${line}\n\n`, 30_000);
      const got = reader.text().match(/data: \d+ /g) ?? [];
      assert.equal(got.length, 2000, 'the sibling got every event');
      assert.equal(session.destroyed, false, 'the session stays up');
    } finally {
      session.destroy();
    }
  });
});
