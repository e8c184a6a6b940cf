import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Controller, Inject, Injectable, isHeraldError, Module, Sse } from 'herald';
import { createTestApp, sse } from 'herald/testing';
import { of } from 'rxjs';

const SENDER = 'SENDER';
let realMailers = 0;

@Injectable()
class Mailer {
  constructor() {
    realMailers++;
  }
  send(to: string): string {
    return `smtp:${to}`;
  }
}

/** Deepest module: provides the mailer and a sender address it keeps to itself. */
@Module({
  providers: [Mailer, { provide: SENDER, useValue: 'noreply@herald.test' }],
  exports: [Mailer],
})
class MailModule {}

@Injectable()
class Notifier {
  constructor(readonly mailer: Mailer) {}
}

@Module({ imports: [MailModule], providers: [Notifier], exports: [Notifier] })
class NotifyModule {}

@Controller()
class AlertsController {
  constructor(private readonly notifier: Notifier) {}

  @Sse('alerts')
  alerts() {
    return of({ data: this.notifier.mailer.send('ada') });
  }
}

@Module({ imports: [NotifyModule], controllers: [AlertsController] })
class AppModule {}

/** Replaces Mailer by class: its own dependencies resolve in MailModule, where SENDER is visible. */
@Injectable()
class OutboxMailer {
  constructor(@Inject(SENDER) readonly from: string) {}
  send(to: string): string {
    return `outbox:${this.from}->${to}`;
  }
}

describe('createTestApp overrides', () => {
  it('replaces a provider two imports deep with a value, and get() returns it', async () => {
    const sent: string[] = [];
    const fake = {
      send(to: string) {
        sent.push(to);
        return `fake:${to}`;
      },
    };
    const before = realMailers;
    const t = await createTestApp(AppModule, { overrides: [{ provide: Mailer, useValue: fake }] });
    try {
      assert.match(t.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(t.get(Mailer), fake);
      assert.equal(t.get(Notifier).mailer, fake);
      const stream = await sse(t, '/alerts');
      assert.deepEqual(await stream.all(), [{ type: 'message', data: 'fake:ada', id: '' }]);
      assert.deepEqual(sent, ['ada']);
      assert.equal(realMailers, before, 'the real Mailer is never constructed');
    } finally {
      await t.close();
    }
  });

  it("replaces it with a class resolved in the provider's own module, or with a factory", async () => {
    const byClass = await createTestApp(AppModule, {
      overrides: [{ provide: Mailer, useClass: OutboxMailer }],
    });
    try {
      const [event] = await (await sse(byClass, '/alerts')).take(1);
      assert.equal(event?.data, 'outbox:noreply@herald.test->ada');
    } finally {
      await byClass.close();
    }
    const byFactory = await createTestApp(AppModule, {
      overrides: [
        { provide: Mailer, useFactory: (from: string) => ({ send: () => from }), inject: [SENDER] },
        { provide: SENDER, useValue: 'override@herald.test' },
      ],
    });
    try {
      assert.equal(
        (await (await sse(byFactory.app, '/alerts')).next()).data,
        'override@herald.test',
      );
    } finally {
      await byFactory.close();
    }
  });

  it('fails to start when an override matches no provider', async () => {
    await assert.rejects(
      createTestApp(AppModule, { overrides: [{ provide: 'NOPE', useValue: 1 }] }),
      (error) =>
        isHeraldError(error, 'INVALID_MODULE') && /NOPE matches no provider/.test(error.message),
    );
  });
});
