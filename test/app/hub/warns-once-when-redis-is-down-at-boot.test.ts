import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Controller, HttpCode, Hub, HubModule, Module, Post } from 'herald';
import { RedisBroker } from 'herald/redis';
import { hasRedisServer, RedisServer, uniquePrefix } from '../../redis/support/redis-server.js';
import { type LogLine, memoryLogger, startApp } from '../http/start-app.js';

@Controller('news')
class NewsController {
  constructor(private readonly hub: Hub) {}

  @Post()
  @HttpCode(201)
  async publish() {
    return { id: await this.hub.publish('news', { data: 'hello' }) };
  }
}

const text = (l: LogLine) => l.args.map(String).join(' ');

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Redis down when the app boots', {
  skip: hasRedisServer() ? false : 'no redis-server installed',
}, () => {
  it('warns once, answers 503 with one short line per request, and says when Redis is back', async () => {
    const redis = await RedisServer.start();
    await redis.kill(); // the port is known and nothing answers on it
    const broker = new RedisBroker({
      url: redis.url,
      prefix: uniquePrefix('boot-log'),
      connectTimeoutMs: 300,
    });
    @Module({ imports: [HubModule.forRoot({ broker })], controllers: [NewsController] })
    class AppModule {}
    const logger = memoryLogger();
    const { app, url } = await startApp(AppModule, { logger });
    const warnings = () => logger.lines.filter((l) => l.level === 'warn');
    try {
      await until(() => warnings().length > 0, 10_000, 'the warning');
      assert.match(
        text(warnings()[0]!),
        /^Hub broker unavailable \(.+\); retrying in the background/,
      );
      const before = logger.lines.filter((l) => l.level === 'error').length;
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${url}/news`, { method: 'POST' });
        assert.equal(res.status, 503);
        assert.equal(res.headers.get('retry-after'), '5');
      }
      const errors = logger.lines.filter((l) => l.level === 'error').slice(before);
      assert.equal(errors.length, 3, 'one line per answer');
      for (const line of errors) {
        assert.equal(line.args.length, 1, 'no error object, so no stack');
        assert.match(text(line), /^POST \/news 503: BROKER_UNAVAILABLE: /);
      }
      // Let the hub try again (0.5 s, then 1 s later) and fail before Redis comes back.
      await new Promise((r) => setTimeout(r, 2000));
      await redis.restart();
      // The hub's retry delay doubles from 0.5 s: a few attempts have passed by now.
      await until(
        () => logger.lines.some((l) => text(l).startsWith('Hub broker is up')),
        40_000,
        'the recovery line',
      );
      const res = await fetch(`${url}/news`, { method: 'POST' });
      assert.equal(res.status, 201);
      assert.equal(warnings().length, 1, 'the retries in between did not warn again');
      assert.ok(
        !logger.lines.some((l) => l.args.some((a) => a instanceof Error)),
        'no stack anywhere',
      );
    } finally {
      await app.close();
      await redis.kill();
    }
  });
});
