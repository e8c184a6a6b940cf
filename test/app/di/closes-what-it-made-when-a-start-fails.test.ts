import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Controller, Get, HeraldFactory, Injectable, Module, type OnModuleDestroy } from 'herald';
import { Container } from '#herald/app/di/container.js';

const closed: string[] = [];

@Injectable()
class Connection implements OnModuleDestroy {
  onModuleDestroy(): void {
    closed.push('connection');
  }
}

describe('a start that fails', () => {
  it('closes the providers already made when a later factory throws', async () => {
    closed.length = 0;
    @Module({
      providers: [
        Connection,
        {
          provide: 'CONFIG',
          useFactory: async (_c: Connection) => {
            throw new Error('config unreachable');
          },
          inject: [Connection],
        },
      ],
    })
    class AppModule {}
    await assert.rejects(Container.create(AppModule), /config unreachable/);
    assert.deepEqual(closed, ['connection']);
  });

  it('closes the providers when routes cannot be registered', async () => {
    closed.length = 0;
    @Controller()
    class Twice {
      @Get('x')
      a() {
        return 1;
      }
      @Get('x')
      b() {
        return 2;
      }
    }
    @Module({ providers: [Connection], controllers: [Twice] })
    class AppModule {}
    await assert.rejects(HeraldFactory.create(AppModule, { logger: false }));
    assert.deepEqual(closed, ['connection']);
  });
});
