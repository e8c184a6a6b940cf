import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AccessLogEntry,
  Controller,
  Get,
  HeraldError,
  Logger,
  type MessageEvent,
  Module,
  Sse,
} from 'herald';
import { sse } from 'herald/testing';
import { NEVER, type Observable, of } from 'rxjs';
import { memoryLogger, startApp } from './start-app.js';

@Controller('items')
class ItemsController {
  @Get()
  list() {
    return [1, 2];
  }

  @Get('boom')
  boom() {
    throw new Error('db password hunter2 rejected');
  }

  @Get('closed')
  closed() {
    throw new HeraldError('CLOSED', 'the hub is closed');
  }

  @Sse('live')
  live(): Observable<MessageEvent> {
    return NEVER;
  }

  @Sse('once')
  once(): Observable<MessageEvent> {
    return of({ data: 'x' });
  }
}

@Module({ controllers: [ItemsController] })
class AppModule {}

const text = (args: unknown[]) =>
  args.map((a) => (a instanceof Error ? a.stack : String(a))).join(' ');

/** Polls until `check` holds: log lines for a response come on the next tick after it ends. */
async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('what the app logs', () => {
  it('says where it listens, and its routes when asked', async () => {
    const logger = memoryLogger();
    const { app, url } = await startApp(AppModule, { logger, logRoutes: true }, (a) =>
      a.setGlobalPrefix('api'),
    );
    await app.close();
    const lines = logger.lines.map((l) => `${l.level} ${text(l.args)}`);
    assert.ok(lines.includes(`log Herald listening on ${url}`), lines.join('\n'));
    assert.ok(lines.includes('log Mapped GET /api/items (ItemsController.list)'));
    assert.ok(lines.includes('log Mapped GET /api/items/live (ItemsController.live)'));
    const quiet = memoryLogger();
    const second = await startApp(AppModule, { logger: quiet });
    await second.app.close();
    assert.deepEqual(
      quiet.lines.map((l) => text(l.args)),
      [`Herald listening on ${second.url}`],
      'no route lines unless asked',
    );
  });

  it('writes an access line per request without the query string, and one when a stream ends', async () => {
    const logger = memoryLogger();
    const { app, url } = await startApp(AppModule, { logger, accessLog: true });
    try {
      logger.lines.length = 0;
      await (await fetch(`${url}/items?token=s3cret`)).json();
      await until(() => logger.lines.length === 1, 'the access line');
      assert.match(text(logger.lines[0]!.args), /^GET \/items 200 \d+ ms$/);
      const stream = await sse(url, '/items/live?token=s3cret');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(logger.lines.length, 1, 'nothing while the stream is open');
      await stream.close();
      await until(() => logger.lines.length === 2, 'the stream line');
      assert.match(
        text(logger.lines[1]!.args),
        /^GET \/items\/live 200 \d+ ms event stream \(client\)$/,
      );
      assert.doesNotMatch(JSON.stringify(logger.lines), /s3cret/);
    } finally {
      await app.close();
    }
  });

  it('hands each entry to an accessLog function', async () => {
    const entries: AccessLogEntry[] = [];
    const { app, url } = await startApp(AppModule, { accessLog: (e) => entries.push(e) });
    try {
      await (await fetch(`${url}/nowhere?x=1`)).text();
      await (await sse(url, '/items/once')).all();
      await until(() => entries.length === 2, 'two entries');
      const [missing, stream] = entries;
      assert.equal(missing!.path, '/nowhere');
      assert.equal(missing!.status, 404);
      assert.equal(missing!.stream, false);
      assert.match(missing!.ip, /127\.0\.0\.1$/);
      assert.equal(stream!.stream, true);
      assert.equal(stream!.closed, 'complete');
    } finally {
      await app.close();
    }
  });

  it('names the request in error lines, never its query string, and keeps expected 503s to one line', async () => {
    const logger = memoryLogger();
    const { app, url } = await startApp(AppModule, { logger });
    try {
      logger.lines.length = 0;
      assert.equal((await fetch(`${url}/items/boom?token=s3cret`)).status, 500);
      const [boom] = logger.lines;
      assert.equal(boom!.level, 'error');
      assert.equal(boom!.args[0], 'GET /items/boom 500: unhandled error');
      assert.ok(boom!.args[1] instanceof Error, 'the stack goes with a real fault');
      logger.lines.length = 0;
      assert.equal((await fetch(`${url}/items/closed?token=s3cret`)).status, 503);
      assert.deepEqual(logger.lines, [
        { level: 'error', args: ['GET /items/closed 503: CLOSED: the hub is closed'] },
      ]);
    } finally {
      await app.close();
    }
  });

  it('prints [Herald] once per line with the default logger', () => {
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      written.push(chunk);
      return true;
    }) as unknown as typeof write;
    try {
      new Logger().log('Herald listening on http://127.0.0.1:3000');
      new Logger('Billing').log('charged');
    } finally {
      process.stdout.write = write;
    }
    assert.match(
      written[0]!,
      /^\[Herald\] \d+ \S+ LOG Herald listening on http:\/\/127\.0\.0\.1:3000\n$/,
    );
    assert.match(written[1]!, /^\[Herald\] \d+ \S+ LOG \[Billing\] charged\n$/);
  });
});
