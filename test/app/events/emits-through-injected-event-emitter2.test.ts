import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import eventemitter2 from 'eventemitter2';
import { EventEmitter2, EventEmitterModule, Injectable, Module } from 'herald';
import { Container } from '#herald/app/di/container.js';

const RealEventEmitter2 = eventemitter2.EventEmitter2;
const FILTER_VERIFIED = 'filter.verified';

@Injectable()
class VerifyService {
  constructor(private readonly eventService: EventEmitter2) {}
  verify(email: string) {
    this.eventService.emit(FILTER_VERIFIED, { email, isVerified: true });
  }
}

@Injectable()
class AppController {
  constructor(private readonly eventService: EventEmitter2) {}
  listen(email: string, received: unknown[]) {
    this.eventService.on(FILTER_VERIFIED, (data: { email: string; isVerified: boolean }) => {
      if (data.email !== email) return;
      received.push({ isVerifiedFilter: data.isVerified });
    });
  }
  get emitter() {
    return this.eventService;
  }
}

@Module({
  imports: [EventEmitterModule.forRoot()],
  controllers: [AppController],
  providers: [VerifyService],
})
class AppModule {}

describe('EventEmitterModule', () => {
  it('injects one real EventEmitter2 by type, shared by emitters and listeners', async () => {
    const container = await Container.create(AppModule);
    await container.init();
    const controller = container.get<AppController>(AppController);
    assert.ok(controller.emitter instanceof RealEventEmitter2);
    assert.equal(EventEmitter2, RealEventEmitter2);
    assert.equal(controller.emitter, container.get(EventEmitter2));

    const forAda: unknown[] = [];
    const forBob: unknown[] = [];
    controller.listen('ada@example.com', forAda);
    controller.listen('bob@example.com', forBob);
    container.get(VerifyService).verify('ada@example.com');
    assert.deepEqual(forAda, [{ isVerifiedFilter: true }]);
    assert.deepEqual(forBob, []);
    await container.close();
  });

  it('allows a listener per SSE client without a max-listeners warning', async () => {
    const warnings: Error[] = [];
    const original = console.error;
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    console.error = (...args: unknown[]) => warnings.push(new Error(args.join(' ')));
    try {
      const container = await Container.create(AppModule);
      const emitter = container.get(EventEmitter2);
      for (let i = 0; i < 50; i++) emitter.on(FILTER_VERIFIED, () => {});
      assert.equal(emitter.listenerCount(FILTER_VERIFIED), 50);
      await new Promise((r) => setImmediate(r));
      await container.close();
    } finally {
      console.error = original;
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
  });

  it('passes options to the emitter (wildcards on request)', async () => {
    @Module({ imports: [EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' })] })
    class WildModule {}
    const container = await Container.create(WildModule);
    const emitter = container.get(EventEmitter2);
    const seen: string[] = [];
    emitter.on('task:*', (id: string) => seen.push(id));
    emitter.emit('task:done', 'a');
    assert.deepEqual(seen, ['a']);
    await container.close();
  });
});
