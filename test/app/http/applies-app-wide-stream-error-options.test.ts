import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Controller, Module, Sse } from 'herald';
import { concat, mergeMap, of, throwError, timer } from 'rxjs';
import { rawGet } from '../../support/raw-client.js';
import { startApp } from './start-app.js';

@Controller()
class FailingController {
  @Sse('late')
  late() {
    return concat(
      of({ data: 'one' }),
      timer(5).pipe(mergeMap(() => throwError(() => new Error('disk on fire')))),
    );
  }
}

@Module({ controllers: [FailingController] })
class AppModule {}

describe('app-wide stream options', () => {
  it('the app’s describeError and onError apply to @Sse routes', async () => {
    const seen: unknown[] = [];
    const { app, url } = await startApp(AppModule, {
      sse: {
        heartbeat: false,
        onError: (err) => seen.push(err),
        describeError: () => ({ statusCode: 599, message: 'try the mirror' }),
      },
    });
    try {
      const client = await rawGet(url, '/late');
      await client.ended;
      assert.match(
        client.received(),
        /event: error\ndata: \{"statusCode":599,"message":"try the mirror"\}/,
      );
      assert.equal(seen.length, 1);
      assert.equal((seen[0] as Error).message, 'disk on fire');
    } finally {
      await app.close();
    }
  });

  it('without them, Herald’s defaults describe the error generically', async () => {
    const { app, url } = await startApp(AppModule, { sse: { heartbeat: false } });
    try {
      const client = await rawGet(url, '/late');
      await client.ended;
      assert.match(
        client.received(),
        /event: error\ndata: \{"statusCode":500,"message":"Internal server error"\}/,
      );
      assert.doesNotMatch(client.received(), /disk on fire/);
    } finally {
      await app.close();
    }
  });
});
