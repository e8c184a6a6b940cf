import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from 'herald';
import { Container } from '#herald/app/di/container.js';

function app(log: string[]) {
  class Hooks
    implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown
  {
    async onModuleInit() {
      await new Promise((r) => setTimeout(r, 1));
      log.push(`init ${this.constructor.name}`);
    }
    async onModuleDestroy() {
      await new Promise((r) => setTimeout(r, 1));
      log.push(`destroy ${this.constructor.name}`);
    }
    beforeApplicationShutdown(signal?: string) {
      log.push(`before ${this.constructor.name} ${signal}`);
    }
    onApplicationShutdown(signal?: string) {
      log.push(`shutdown ${this.constructor.name} ${signal}`);
    }
  }
  @Injectable()
  class Db extends Hooks {}
  @Injectable()
  class Repo extends Hooks {
    constructor(readonly db: Db) {
      super();
    }
  }
  @Injectable()
  class Controller extends Hooks {
    constructor(readonly repo: Repo) {
      super();
    }
  }
  // Declared dependents-first so that list order alone would give the wrong answer.
  @Module({ controllers: [Controller], providers: [Repo, Db] })
  class AppModule {}
  return AppModule;
}

describe('lifecycle hooks', () => {
  it('inits dependencies first, destroys dependents first, passes the signal, and closes once', async () => {
    const log: string[] = [];
    const container = await Container.create(app(log));
    assert.deepEqual(log, []);
    await Promise.all([container.init(), container.init()]);
    assert.deepEqual(log, ['init Db', 'init Repo', 'init Controller']);

    log.length = 0;
    await Promise.all([container.close('SIGTERM'), container.close('SIGINT')]);
    await container.close();
    assert.deepEqual(log, [
      'destroy Controller',
      'destroy Repo',
      'destroy Db',
      'before Controller SIGTERM',
      'before Repo SIGTERM',
      'before Db SIGTERM',
      'shutdown Controller SIGTERM',
      'shutdown Repo SIGTERM',
      'shutdown Db SIGTERM',
    ]);
  });

  it('runs every shutdown hook even when one throws, then throws its error', async () => {
    const log: string[] = [];
    @Injectable()
    class Fails implements OnModuleDestroy {
      onModuleDestroy() {
        throw new Error('boom');
      }
    }
    @Injectable()
    class Survives implements OnApplicationShutdown {
      constructor(readonly fails: Fails) {}
      onApplicationShutdown(signal?: string) {
        log.push(`shutdown ${signal}`);
      }
    }
    @Module({ providers: [Fails, Survives] })
    class AppModule {}
    const container = await Container.create(AppModule);
    await container.init();
    await assert.rejects(container.close('SIGINT'), { message: 'boom' });
    assert.deepEqual(log, ['shutdown SIGINT']);
  });

  it('runs a hook once for an instance reachable under two tokens', async () => {
    let inits = 0;
    @Injectable()
    class Service implements OnModuleInit {
      onModuleInit() {
        inits++;
      }
    }
    @Module({ providers: [Service, { provide: 'ALIAS', useExisting: Service }] })
    class AppModule {}
    const container = await Container.create(AppModule);
    await container.init();
    assert.equal(inits, 1);
    await container.close();
  });
});
