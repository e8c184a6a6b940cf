import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Controller,
  Get,
  HeraldFactory,
  Injectable,
  type MessageEvent,
  Module,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
  Sse,
} from 'herald';
import { Observable } from 'rxjs';
import { rawGet } from '../../support/raw-client.js';

const hooks: string[] = [];

@Injectable()
class Clock implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  onModuleInit() {
    hooks.push('init');
  }
  onModuleDestroy() {
    hooks.push('destroy');
  }
  onApplicationShutdown(signal?: string) {
    hooks.push(`shutdown:${signal}`);
  }
  now() {
    return 'tick';
  }
}

@Controller()
class ClockController {
  constructor(private readonly clock: Clock) {}

  @Get('now')
  now() {
    return this.clock.now();
  }

  @Sse('forever')
  forever(): Observable<MessageEvent> {
    return new Observable((sub) => {
      sub.next({ data: 'open' });
      return () => hooks.push('unsubscribed');
    });
  }
}

@Module({ controllers: [ClockController], providers: [Clock] })
class AppModule {}

describe('application lifecycle', () => {
  it('listens on port 0, serves providers, and closes streams, sockets and hooks in order', async () => {
    hooks.length = 0;
    const app = await HeraldFactory.create(AppModule, { logger: false });
    assert.deepEqual(hooks, []);
    assert.equal(app.get(Clock).now(), 'tick');
    await app.listen(0, '127.0.0.1');
    assert.deepEqual(hooks, ['init']);
    const url = app.getUrl();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(app.getHttpServer().listening, true);
    assert.equal(await (await fetch(`${url}/now`)).text(), 'tick');

    // A stream that is open (its first event arrived) when the app closes.
    const stream = await rawGet(url, '/forever');
    await stream.waitFor('data: open\n');
    await app.close('SIGTERM');
    await stream.waitFor('\r\n0\r\n\r\n');
    stream.socket.destroy();
    assert.deepEqual(hooks, ['init', 'unsubscribed', 'destroy', 'shutdown:SIGTERM']);
    assert.equal(app.getHttpServer().listening, false);
    await app.close();
  });

  it('closes an app that never listened', async () => {
    hooks.length = 0;
    const app = await HeraldFactory.create(AppModule, { logger: false });
    await app.init();
    await app.close();
    assert.deepEqual(hooks, ['init', 'destroy', 'shutdown:undefined']);
  });
});
