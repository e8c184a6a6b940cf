import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DynamicModule, Global, Inject, Injectable, Module } from 'herald';
import { Container } from '#herald/app/di/container.js';

@Injectable()
class Mailer {}

@Injectable()
class Notifier {
  constructor(readonly mailer: Mailer) {}
}

describe('module encapsulation', () => {
  it('hides a provider its module does not export, and says so', async () => {
    @Module({ providers: [Mailer] })
    class MailModule {}
    @Module({ imports: [MailModule], providers: [Notifier] })
    class AppModule {}

    await assert.rejects(Container.create(AppModule), {
      code: 'MISSING_DEPENDENCY',
      message:
        'Cannot resolve Notifier -> Mailer: argument #0 of Notifier ("Mailer") is not available in module AppModule. ' +
        "Add it to that module's providers, or import a module that exports it. " +
        'Note: MailModule provides Mailer but does not export it.',
    });
  });

  it('hides an exported provider from a module that does not import its module', async () => {
    @Module({ providers: [Mailer], exports: [Mailer] })
    class MailModule {}
    @Module({ providers: [Notifier] })
    class NotifyModule {}
    @Module({ imports: [MailModule, NotifyModule] })
    class AppModule {}

    await assert.rejects(Container.create(AppModule), {
      code: 'MISSING_DEPENDENCY',
      message:
        /in module NotifyModule\. .* Note: MailModule exports Mailer, but NotifyModule does not import MailModule\.$/,
    });
  });

  it('sees exports of imports, including a module re-exported by another', async () => {
    @Module({ providers: [Mailer], exports: [Mailer] })
    class MailModule {}
    @Module({ imports: [MailModule], exports: [MailModule] })
    class CoreModule {}
    @Module({ imports: [CoreModule], providers: [Notifier] })
    class AppModule {}

    const container = await Container.create(AppModule);
    assert.equal(container.get(Notifier).mailer, container.get(Mailer));
  });

  it('sees the exports of a @Global() module without importing it', async () => {
    @Global()
    @Module({ providers: [Mailer], exports: [Mailer] })
    class MailModule {}
    @Module({ providers: [Notifier], exports: [Notifier] })
    class NotifyModule {}
    @Module({ imports: [MailModule, NotifyModule] })
    class AppModule {}

    const container = await Container.create(AppModule);
    assert.ok(container.get(Notifier).mailer instanceof Mailer);
  });

  it('accepts dynamic modules from forRoot(), also as a promise and as global', async () => {
    @Module({})
    class ConfigModule {
      static forRoot(values: Record<string, string>): DynamicModule {
        return {
          module: ConfigModule,
          global: true,
          providers: [{ provide: 'CONFIG', useValue: values }],
          exports: ['CONFIG'],
        };
      }
    }
    @Module({})
    class DbModule {
      static async forRootAsync(): Promise<DynamicModule> {
        await new Promise((r) => setTimeout(r, 1));
        return {
          module: DbModule,
          providers: [
            {
              provide: 'DB',
              inject: ['CONFIG'],
              useFactory: (c: { url: string }) => ({ url: c.url }),
            },
          ],
          exports: ['DB'],
        };
      }
    }
    @Injectable()
    class Repo {
      constructor(@Inject('DB') readonly db: { url: string }) {}
    }
    @Module({
      imports: [ConfigModule.forRoot({ url: 'pg://db' }), DbModule.forRootAsync()],
      providers: [Repo],
    })
    class AppModule {}

    const container = await Container.create(AppModule);
    assert.deepEqual(container.get(Repo).db, { url: 'pg://db' });
  });

  it('rejects a non-module in imports and an export it cannot honour with INVALID_MODULE', async () => {
    @Module({ imports: [Mailer] })
    class AppModule {}
    await assert.rejects(Container.create(AppModule), {
      code: 'INVALID_MODULE',
      message: 'Mailer (import #0 of AppModule) is not a module: decorate it with @Module().',
    });

    @Module({ imports: [undefined as never] })
    class BrokenModule {}
    await assert.rejects(Container.create(BrokenModule), {
      code: 'INVALID_MODULE',
      message: /import #0 of BrokenModule is undefined.*circular file import/,
    });

    @Module({ exports: [Mailer] })
    class ExportsForeign {}
    await assert.rejects(Container.create(ExportsForeign), {
      code: 'INVALID_MODULE',
      message: /ExportsForeign exports Mailer, which is neither one of its providers/,
    });
  });
});
