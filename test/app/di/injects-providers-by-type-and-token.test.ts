import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inject, Injectable, Module, Optional } from 'herald';
import { Container } from '#herald/app/di/container.js';

const GREETING = 'GREETING';
const CLOCK = Symbol('clock');

@Injectable()
class Logger {
  readonly lines: string[] = [];
}

abstract class Store {
  abstract name(): string;
}

@Injectable()
class MemoryStore extends Store {
  constructor(readonly logger: Logger) {
    super();
  }
  name() {
    return 'memory';
  }
}

@Injectable()
class Greeter {
  constructor(
    readonly logger: Logger,
    @Inject(GREETING) readonly greeting: string,
    @Inject(CLOCK) readonly clock: { now(): number },
    readonly store: Store,
    @Optional() @Inject('MISSING') readonly missing?: unknown,
  ) {}
}

describe('constructor injection', () => {
  it('injects by declared type, by string, symbol and abstract-class tokens, and optional', async () => {
    @Module({
      providers: [
        Logger,
        Greeter,
        { provide: GREETING, useValue: 'hello' },
        { provide: CLOCK, useValue: { now: () => 42 } },
        { provide: Store, useClass: MemoryStore },
      ],
    })
    class AppModule {}

    const container = await Container.create(AppModule);
    const greeter = container.get(Greeter);
    assert.ok(greeter instanceof Greeter);
    assert.equal(greeter.logger, container.get(Logger));
    assert.equal(greeter.greeting, 'hello');
    assert.equal(greeter.clock.now(), 42);
    assert.ok(greeter.store instanceof MemoryStore);
    assert.equal(greeter.store.name(), 'memory');
    assert.equal((greeter.store as MemoryStore).logger, greeter.logger);
    assert.equal(greeter.missing, undefined);
  });

  it('makes async factories with inject (optional entries included) and awaits them', async () => {
    const order: string[] = [];
    @Module({
      providers: [
        Logger,
        { provide: 'URL', useValue: 'redis://x' },
        {
          provide: 'CLIENT',
          inject: ['URL', Logger, { token: 'NOPE', optional: true }],
          useFactory: async (url: string, logger: Logger, nope: unknown) => {
            await new Promise((r) => setTimeout(r, 5));
            order.push('client');
            return { url, logger, nope };
          },
        },
        {
          provide: 'USER',
          inject: ['CLIENT'],
          useFactory: (client: { url: string }) => {
            order.push('user');
            return { via: client.url };
          },
        },
      ],
    })
    class AppModule {}

    const container = await Container.create(AppModule);
    const client = container.get<{ url: string; logger: Logger; nope: unknown }>('CLIENT');
    assert.equal(client.url, 'redis://x');
    assert.equal(client.logger, container.get(Logger));
    assert.equal(client.nope, undefined);
    assert.deepEqual(container.get('USER'), { via: 'redis://x' });
    assert.deepEqual(order, ['client', 'user']);
  });

  it('resolves useExisting to the very same instance', async () => {
    @Module({ providers: [Logger, { provide: 'LOG', useExisting: Logger }] })
    class AppModule {}
    const container = await Container.create(AppModule);
    assert.equal(container.get('LOG'), container.get(Logger));
  });

  it('makes each provider once, however many dependents and modules use it', async () => {
    let made = 0;
    @Injectable()
    class Counter {
      constructor() {
        made++;
      }
    }
    @Injectable()
    class A {
      constructor(readonly counter: Counter) {}
    }
    @Injectable()
    class B {
      constructor(readonly counter: Counter) {}
    }
    @Module({ providers: [Counter], exports: [Counter] })
    class SharedModule {}
    @Module({ imports: [SharedModule], providers: [A], exports: [A] })
    class AModule {}
    @Module({ imports: [SharedModule], providers: [B], exports: [B] })
    class BModule {}
    @Module({ imports: [AModule, BModule] })
    class AppModule {}

    const container = await Container.create(AppModule);
    assert.equal(made, 1);
    assert.equal(container.get(A).counter, container.get(B).counter);
  });

  it('injects the container itself and lists controllers in module-scan order', async () => {
    @Injectable()
    class UsesContainer {
      constructor(readonly container: Container) {}
    }
    @Injectable()
    class CatsController {
      constructor(readonly logger: Logger) {}
    }
    @Injectable()
    class AppController {}
    @Module({ controllers: [CatsController], providers: [Logger] })
    class CatsModule {}
    @Module({ imports: [CatsModule], controllers: [AppController], providers: [UsesContainer] })
    class AppModule {}

    const container = await Container.create(AppModule);
    assert.equal(container.get(UsesContainer).container, container);
    const controllers = container.controllers();
    assert.deepEqual(
      controllers.map((c) => [c.type, c.module]),
      [
        [CatsController, CatsModule],
        [AppController, AppModule],
      ],
    );
    assert.ok(controllers[0]?.instance instanceof CatsController);
    assert.equal((controllers[0].instance as CatsController).logger, container.get(Logger));
  });

  it('throws MISSING_DEPENDENCY from get() for a token no module provides', async () => {
    @Module({})
    class AppModule {}
    const container = await Container.create(AppModule);
    assert.throws(() => container.get('nothing'), {
      name: 'HeraldError',
      code: 'MISSING_DEPENDENCY',
      message: 'Container.get(nothing): no module provides nothing.',
    });
  });
});
