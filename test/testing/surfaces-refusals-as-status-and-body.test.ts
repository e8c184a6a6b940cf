import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IsEmail } from 'class-validator';
import {
  type CanActivate,
  Controller,
  type MessageEvent,
  Module,
  Query,
  Sse,
  UseGuards,
} from 'herald';
import { createTestApp, sse, type TestApp } from 'herald/testing';
import { type Observable, of } from 'rxjs';

class Deny implements CanActivate {
  canActivate() {
    return false;
  }
}

class WatchQuery {
  @IsEmail()
  email!: string;
}

let handled = 0;

@Controller()
class GuardedController {
  @Sse('private')
  @UseGuards(Deny)
  private(): Observable<MessageEvent> {
    handled++;
    return of({ data: 'secret' });
  }

  @Sse('watch')
  watch(@Query() query: WatchQuery): Observable<MessageEvent> {
    handled++;
    return of({ data: query.email });
  }

  @Sse('done')
  done() {
    return null;
  }
}

@Module({ controllers: [GuardedController] })
class AppModule {}

describe('sse() on a refused stream', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(AppModule);
  });
  after(() => t.close());

  it('surfaces a guard refusal as 403 and its JSON body, and waiting for events says so', async () => {
    const stream = await sse(t, '/private');
    assert.equal(stream.status, 403);
    assert.match(stream.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(stream.body, {
      statusCode: 403,
      message: 'Forbidden resource',
      error: 'Forbidden',
    });
    await assert.rejects(
      stream.take(1),
      /GET \/private answered 403 .*not an event stream: .*Forbidden resource/,
    );
    assert.equal(handled, 0);
  });

  it('surfaces a DTO failure as 400 with the constraint messages', async () => {
    const bad = await sse(t, '/watch', { query: { email: 'nope' } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, {
      statusCode: 400,
      message: ['email must be an email'],
      error: 'Bad Request',
    });
    await assert.rejects(async () => {
      for await (const _ of bad) assert.fail('a refused stream yields nothing');
    }, /answered 400/);
    assert.equal(handled, 0);
    const good = await sse(t, '/watch', { query: { email: 'ada@example.com' } });
    assert.equal(good.status, 200);
    assert.equal((await good.next()).data, 'ada@example.com');
    await good.close();
  });

  it('reports a 204 with no body', async () => {
    const stream = await sse(t, '/done');
    assert.equal(stream.status, 204);
    assert.equal(stream.body, undefined);
    await assert.rejects(stream.next(), /answered 204, not an event stream$/);
  });
});
