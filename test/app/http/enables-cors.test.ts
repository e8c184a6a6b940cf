import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Controller, Get, Module, Post } from 'herald';
import { startApp } from './start-app.js';

@Controller()
class CorsController {
  @Get('data')
  data() {
    return { ok: true };
  }

  @Post('data')
  write() {
    return { ok: true };
  }
}

@Module({ controllers: [CorsController] })
class AppModule {}

describe('CORS', () => {
  it('sends no CORS headers unless enabled', async () => {
    const { app, url } = await startApp(AppModule);
    try {
      const res = await fetch(`${url}/data`, { headers: { origin: 'https://a.example' } });
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      await res.body?.cancel();
    } finally {
      await app.close();
    }
  });

  it('adds headers and answers preflights with enableCors()', async () => {
    const { app, url } = await startApp(AppModule, {}, (a) => a.enableCors());
    try {
      const res = await fetch(`${url}/data`, { headers: { origin: 'https://a.example' } });
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.deepEqual(await res.json(), { ok: true });
      const pre = await fetch(`${url}/data`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://a.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,last-event-id',
        },
      });
      assert.equal(pre.status, 204);
      assert.match(pre.headers.get('access-control-allow-methods')!, /POST/);
      assert.equal(pre.headers.get('access-control-allow-headers'), 'content-type,last-event-id');
      const missing = await fetch(`${url}/missing`, { headers: { origin: 'https://a.example' } });
      assert.equal(missing.status, 404);
      assert.equal(missing.headers.get('access-control-allow-origin'), '*');
      await missing.body?.cancel();
    } finally {
      await app.close();
    }
  });

  it('takes options from the factory, e.g. one origin with credentials', async () => {
    const { app, url } = await startApp(AppModule, {
      cors: { origin: 'https://app.example', credentials: true },
    });
    try {
      const res = await fetch(`${url}/data`, { headers: { origin: 'https://evil.example' } });
      assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example');
      assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
      await res.body?.cancel();
    } finally {
      await app.close();
    }
  });
});
