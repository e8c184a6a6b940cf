import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import compression from 'compression';
import helmet from 'helmet';
import { Controller, Get, Header, type Middleware, type MessageEvent, Module, Sse } from 'herald';
import { sse } from 'herald/testing';
import { Observable, Subject } from 'rxjs';
import { rawGet } from '../../support/raw-client.js';
import { startApp } from './start-app.js';

const events = new Subject<MessageEvent>();
const BIG = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })) };

@Controller()
class PagesController {
  @Get('big')
  big() {
    return BIG;
  }

  @Get('seen')
  seen() {
    return { ok: true };
  }

  @Sse('events')
  stream(): Observable<MessageEvent> {
    return events.asObservable();
  }

  // A route header that would let a proxy transform the stream: the engine keeps `no-transform`.
  @Sse('cacheable')
  @Header('Cache-Control', 'max-age=60')
  cacheable(): Observable<MessageEvent> {
    return events.asObservable();
  }
}

@Module({ controllers: [PagesController] })
class AppModule {}

/** A GET whose body is read as raw bytes (fetch would undo the gzip). */
function rawBody(url: string, headers: Record<string, string>) {
  return new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('app.use() middleware', () => {
  it('runs in registration order before routing, with CORS where enableCors() was called', async () => {
    const order: string[] = [];
    const mark =
      (name: string): Middleware =>
      (_req, res, next) => {
        order.push(name);
        res.setHeader(`x-${name}`, String(res.hasHeader('access-control-allow-origin')));
        next();
      };
    const { app, url } = await startApp(AppModule, {}, (a) =>
      a.use(mark('first')).enableCors().use(mark('second')),
    );
    try {
      const res = await fetch(`${url}/seen`, { headers: { origin: 'https://a.example' } });
      assert.deepEqual(await res.json(), { ok: true });
      assert.deepEqual(order, ['first', 'second']);
      assert.equal(res.headers.get('x-first'), 'false', 'CORS had not run yet');
      assert.equal(res.headers.get('x-second'), 'true', 'CORS ran between them');
      order.length = 0;
      const missing = await fetch(`${url}/nowhere`);
      assert.equal(missing.status, 404);
      assert.deepEqual(order, ['first', 'second'], 'also before a 404');
    } finally {
      await app.close();
    }
  });

  it('answers next(err), a throw or a rejection as JSON, keeping a 4xx status it carries', async () => {
    const { app, url } = await startApp(AppModule, {}, (a) =>
      a.use(
        (req, _res, next) => {
          if (req.url === '/seen?fail=next') return next(new Error('secret detail'));
          if (req.url === '/seen?fail=throw') throw new Error('secret detail');
          if (req.url === '/seen?fail=limit') {
            return next(
              Object.assign(new Error('Too many requests, slow down'), {
                status: 429,
                expose: true,
              }),
            );
          }
          next();
        },
        async (req) => {
          if (req.url === '/seen?fail=async') throw new Error('secret detail');
          throw new Error('never reached for other URLs: the next() below must run first');
        },
      ),
    );
    try {
      for (const how of ['next', 'throw', 'async']) {
        const res = await fetch(`${url}/seen?fail=${how}`);
        assert.equal(res.status, 500, how);
        assert.deepEqual(await res.json(), { statusCode: 500, message: 'Internal server error' });
      }
      const limited = await fetch(`${url}/seen?fail=limit`);
      assert.equal(limited.status, 429);
      assert.equal((await limited.json()).message, 'Too many requests, slow down');
    } finally {
      await app.close();
    }
  });

  it('refuses what is not (req, res, next) middleware, with a clear error', async () => {
    const { app } = await startApp(AppModule);
    try {
      assert.throws(() => app.use('/api' as never), {
        code: 'INVALID_MODULE',
        message: /mount path is not supported/,
      } as object);
      const handler = (_e: unknown, _q: unknown, _s: unknown, _n: unknown) => undefined;
      assert.throws(() => app.use(handler as never), {
        code: 'INVALID_MODULE',
        message: /error-handling middleware/,
      } as object);
    } finally {
      await app.close();
    }
  });

  it("puts helmet's headers on JSON answers and on event streams", async () => {
    const { app, url } = await startApp(AppModule, {}, (a) => a.use(helmet()));
    try {
      const json = await fetch(`${url}/seen`);
      await json.body?.cancel();
      const stream = await sse(url, '/events');
      for (const res of [json, stream]) {
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
        assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
        assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
      }
      assert.equal(stream.status, 200);
      assert.equal(stream.headers.get('content-type'), 'text/event-stream');
      await stream.close();
    } finally {
      await app.close();
    }
  });

  it('lets compression() gzip JSON while event streams go out unbuffered and uncompressed', async () => {
    const { app, url } = await startApp(AppModule, {}, (a) => a.use(compression()));
    try {
      const gz = await rawBody(`${url}/big`, { 'accept-encoding': 'gzip' });
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.deepEqual(JSON.parse(gunzipSync(gz.body).toString('utf8')), BIG);
      assert.ok(gz.body.length < JSON.stringify(BIG).length / 2, 'actually compressed');

      for (const path of ['/events', '/cacheable']) {
        const client = await rawGet(url, path, { headers: { 'Accept-Encoding': 'gzip, br' } });
        await client.waitFor('\r\n\r\n');
        const head = client.received().split('\r\n\r\n')[0]!;
        assert.match(head, /^HTTP\/1\.1 200/);
        assert.doesNotMatch(head, /content-encoding/i);
        assert.match(head, /cache-control: no-cache, no-transform/i);
        // Each event arrives, readable, before the next is published: nothing holds them back.
        for (const word of ['one', 'two', 'three']) {
          events.next({ data: `${path} ${word}` });
          await client.waitFor(`data: ${path} ${word}\n\n`);
        }
        client.socket.destroy();
      }
    } finally {
      await app.close();
    }
  });
});
