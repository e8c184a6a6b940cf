import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Controller, Get, type MessageEvent, Module, Post, RequestMethod, Sse } from 'herald';
import { sse } from 'herald/testing';
import { of } from 'rxjs';
import { startApp } from './start-app.js';

@Controller('news')
class NewsController {
  @Get()
  list() {
    return ['a'];
  }

  @Post()
  add() {
    return { added: true };
  }

  @Get(':id')
  one() {
    return { one: true };
  }

  @Sse('stream')
  stream() {
    return of<MessageEvent>({ data: 'hi' });
  }
}

@Controller()
class OpsController {
  @Get('health')
  health() {
    return { up: true };
  }

  @Get('docs/guide/intro')
  docs() {
    return { docs: true };
  }
}

@Module({ controllers: [NewsController, OpsController] })
class AppModule {}

const status = async (url: string, init?: RequestInit) => {
  const res = await fetch(url, init);
  await res.body?.cancel();
  return res.status;
};

describe('app.setGlobalPrefix()', () => {
  it('puts every route under the prefix, JSON and streams, and answers 404 outside it', async () => {
    const { app, url } = await startApp(AppModule, {}, (a) => a.setGlobalPrefix('/api/v1/'));
    try {
      assert.deepEqual(await (await fetch(`${url}/api/v1/news`)).json(), ['a']);
      assert.equal(await status(`${url}/api/v1/news/7`), 200);
      assert.equal(await status(`${url}/api/v1/health`), 200);
      const stream = await sse(url, '/api/v1/news/stream');
      assert.deepEqual(await stream.all(), [{ type: 'message', data: 'hi', id: '' }]);
      for (const path of ['/news', '/news/7', '/health', '/news/stream', '/api/news']) {
        assert.equal(await status(`${url}${path}`), 404, path);
      }
    } finally {
      await app.close();
    }
  });

  it('leaves out the routes exclude names: by path, by path and method, with wildcards', async () => {
    const { app, url } = await startApp(AppModule, {}, (a) =>
      a.setGlobalPrefix('api', {
        exclude: [
          'health',
          { path: 'news', method: RequestMethod.POST },
          { path: 'news/:id', method: 'GET' },
          'docs/*',
        ],
      }),
    );
    try {
      assert.equal(await status(`${url}/health`), 200);
      assert.equal(await status(`${url}/api/health`), 404);
      assert.equal(await status(`${url}/news`, { method: 'POST' }), 201);
      assert.equal(await status(`${url}/api/news`, { method: 'POST' }), 404);
      // GET /news was not excluded (only its POST), so it stays under the prefix.
      assert.equal(await status(`${url}/api/news`), 200);
      assert.equal(await status(`${url}/news`), 404);
      assert.equal(await status(`${url}/news/3`), 200);
      assert.equal(await status(`${url}/docs/guide/intro`), 200);
      // `news/:id` matches the route `news/stream` as well, as NestJS's exclude patterns do.
      assert.equal(await status(`${url}/news/stream`), 200);
      assert.equal(await status(`${url}/api/news/stream`), 404);
    } finally {
      await app.close();
    }
  });

  it('leaves static assets where useStaticAssets() put them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-prefix-'));
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    const { app, url } = await startApp(AppModule, {}, (a) =>
      a.setGlobalPrefix('api').useStaticAssets(dir),
    );
    try {
      assert.equal(await (await fetch(`${url}/app.js`)).text(), 'console.log(1)');
      assert.equal(await status(`${url}/api/app.js`), 404);
    } finally {
      await app.close();
    }
  });

  it('refuses a prefix set after the routes are registered', async () => {
    const { app } = await startApp(AppModule);
    try {
      assert.throws(() => app.setGlobalPrefix('api'), {
        code: 'INVALID_MODULE',
        message: /before init\(\) or listen\(\)/,
      } as object);
    } finally {
      await app.close();
    }
  });
});
