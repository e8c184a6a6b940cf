import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EventEmitter2,
  EventEmitterModule,
  Injectable,
  Module,
  OnEvent,
  type OnModuleInit,
} from 'herald';
import { Container } from '#herald/app/di/container.js';

@Injectable()
class Audit {
  readonly seen: string[] = [];

  @OnEvent('task.created')
  created(payload: { id: string }) {
    this.seen.push(`created ${payload.id}`);
  }

  @OnEvent(['task', 'done'])
  done(id: string) {
    this.seen.push(`done ${id}`);
  }

  @OnEvent('task.failed')
  failed() {
    throw new Error('listener bug');
  }

  @OnEvent('task.slow', { promisify: true })
  async slow(id: string) {
    await new Promise((r) => setTimeout(r, 1));
    this.seen.push(`slow ${id}`);
    return id;
  }
}

@Injectable()
class TaskService implements OnModuleInit {
  constructor(private readonly events: EventEmitter2) {}
  onModuleInit() {
    // Subscriptions exist before any onModuleInit runs, so this event is not lost.
    this.events.emit('task.created', { id: 'boot' });
  }
  create(id: string) {
    this.events.emit('task.created', { id });
  }
}

@Module({ providers: [Audit], exports: [Audit] })
class AuditModule {}

// AuditModule comes before EventEmitterModule on purpose: scan order must not matter.
@Module({ imports: [AuditModule, EventEmitterModule.forRoot()], providers: [TaskService] })
class AppModule {}

describe('@OnEvent', () => {
  it('calls decorated methods from init() until close(), then removes exactly their listeners', async () => {
    const container = await Container.create(AppModule);
    const emitter = container.get(EventEmitter2);
    const audit = container.get(Audit);
    emitter.emit('task.created', { id: 'before-init' });
    assert.deepEqual(audit.seen, []);

    await container.init();
    container.get(TaskService).create('t1');
    emitter.emit(['task', 'done'], 't1');
    assert.deepEqual(await emitter.emitAsync('task.slow', 't2'), ['t2']);
    assert.deepEqual(audit.seen, ['created boot', 'created t1', 'done t1', 'slow t2']);

    const other = () => {};
    emitter.on('task.created', other);
    await container.close();
    container.get(TaskService).create('t3');
    emitter.emit(['task', 'done'], 't3');
    assert.deepEqual(audit.seen, ['created boot', 'created t1', 'done t1', 'slow t2']);
    assert.deepEqual(emitter.listeners('task.created'), [other]);
  });

  it('logs a throwing listener instead of breaking emit(), unless told not to', async () => {
    const container = await Container.create(AppModule);
    await container.init();
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      container.get(EventEmitter2).emit('task.failed');
    } finally {
      console.error = original;
    }
    assert.equal(logged.length, 1);
    assert.match(String(logged[0]?.[0]), /@OnEvent listener Audit\.failed failed/);
    await container.close();

    @Injectable()
    class Strict {
      @OnEvent('x', { suppressErrors: false })
      x() {
        throw new Error('strict');
      }
    }
    @Module({ imports: [EventEmitterModule.forRoot()], providers: [Strict] })
    class StrictModule {}
    const strict = await Container.create(StrictModule);
    await strict.init();
    assert.throws(() => strict.get(EventEmitter2).emit('x'), { message: 'strict' });
    await strict.close();
  });
});
