import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inject, Injectable, Module } from 'herald';
import { Container } from '#herald/app/di/container.js';

interface Clock {
  now(): number;
}

describe('resolution errors', () => {
  it('names the whole chain from the controller to the missing dependency', async () => {
    class Mailer {}
    @Injectable()
    class EventService {
      constructor(readonly mailer: Mailer) {}
    }
    @Injectable()
    class AppController {
      constructor(readonly events: EventService) {}
    }
    @Module({ controllers: [AppController], providers: [EventService] })
    class AppModule {}

    await assert.rejects(Container.create(AppModule), {
      name: 'HeraldError',
      code: 'MISSING_DEPENDENCY',
      message:
        'Cannot resolve AppController -> EventService -> Mailer: argument #0 of EventService ("Mailer") ' +
        "is not available in module AppModule. Add it to that module's providers, or import a module that exports it.",
    });
  });

  it('asks for @Inject(token) when a parameter is typed by an interface', async () => {
    @Injectable()
    class Scheduler {
      constructor(readonly clock: Clock) {}
    }
    @Module({ providers: [Scheduler] })
    class AppModule {}

    await assert.rejects(Container.create(AppModule), {
      code: 'MISSING_DEPENDENCY',
      message:
        'Cannot resolve Scheduler: argument #0 of Scheduler has no runtime type (it is declared as an interface, ' +
        'a union, a type-only import, or a class not yet defined because of a circular file import). ' +
        'Use @Inject(token) on that parameter.',
    });
  });

  it('asks for @Inject(token) when a parameter is a primitive type', async () => {
    @Injectable()
    class Client {
      constructor(readonly url: string) {}
    }
    @Module({ providers: [Client] })
    class AppModule {}
    await assert.rejects(Container.create(AppModule), {
      code: 'MISSING_DEPENDENCY',
      message:
        'Cannot resolve Client: argument #0 of Client is typed String, which cannot be injected by type. Use @Inject(token) on that parameter.',
    });
  });

  it('names a factory inject slot and an undecorated class', async () => {
    @Module({ providers: [{ provide: 'DB', inject: ['URL'], useFactory: (url: string) => url }] })
    class FactoryModule {}
    await assert.rejects(Container.create(FactoryModule), {
      code: 'MISSING_DEPENDENCY',
      message:
        /^Cannot resolve DB -> URL: inject #0 of the factory for DB \("URL"\) is not available in module FactoryModule\./,
    });

    class Plain {
      constructor(readonly x: number) {}
    }
    @Module({ providers: [Plain] })
    class PlainModule {}
    await assert.rejects(Container.create(PlainModule), {
      code: 'MISSING_DEPENDENCY',
      message:
        /^Cannot resolve Plain: Plain has 1 constructor parameter\(s\) but no type metadata\. Decorate it with @Injectable\(\)/,
    });
  });

  it('names the cycle when providers need each other, before any constructor runs', async () => {
    const made: string[] = [];
    @Injectable()
    class A {
      constructor(@Inject('B') readonly b: unknown) {
        made.push('A');
      }
    }
    @Injectable()
    class B {
      constructor(readonly a: A) {
        made.push('B');
      }
    }
    @Injectable()
    class C {
      constructor(readonly a: A) {
        made.push('C');
      }
    }
    @Injectable()
    class Innocent {
      constructor() {
        made.push('Innocent');
      }
    }
    @Module({ providers: [Innocent, A, { provide: 'B', useClass: B }] })
    class CycleModule {}
    await assert.rejects(Container.create(CycleModule), {
      name: 'HeraldError',
      code: 'CIRCULAR_DEPENDENCY',
      message: /^Circular dependency: A -> B -> A\. /,
    });

    @Module({ controllers: [C], providers: [A, { provide: 'B', useClass: B }] })
    class ReachedModule {}
    await assert.rejects(Container.create(ReachedModule), {
      code: 'CIRCULAR_DEPENDENCY',
      message: /^Circular dependency: A -> B -> A \(reached from C -> A\)\. /,
    });
    assert.deepEqual(made, []);
  });
});
