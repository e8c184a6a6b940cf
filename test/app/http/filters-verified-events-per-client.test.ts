import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventSource } from 'eventsource';
import {
  Body,
  Controller,
  EventEmitter2,
  EventEmitterModule,
  HttpCode,
  type MessageEvent,
  Module,
  Post,
  Query,
  Sse,
} from 'herald';
import { FILTER_VERIFIED, SseQueryDto, VerifyDto } from '../../support/verification-dtos.js';
import { map, type Observable, Subject } from 'rxjs';
import { startApp } from './start-app.js';

/** Seed 001's controller, as written there (plus the POST that emits). */
@Controller()
class AppController {
  constructor(private readonly eventService: EventEmitter2) {}

  @Sse('verified')
  sse(@Query() sseQuery: SseQueryDto): Observable<MessageEvent> {
    const subject$ = new Subject<object>();
    this.eventService.on(FILTER_VERIFIED, (data: VerifyDto) => {
      if (sseQuery.email !== data.email) return;
      subject$.next({ isVerifiedFilter: data.isVerified });
    });
    return subject$.pipe(map((data): MessageEvent => ({ data })));
  }

  @Post('verify')
  @HttpCode(202)
  verify(@Body() body: VerifyDto) {
    this.eventService.emit(FILTER_VERIFIED, body);
    return { queued: true };
  }
}

@Module({ imports: [EventEmitterModule.forRoot()], controllers: [AppController] })
class AppModule {}

function firstMessage(url: string): {
  opened: Promise<void>;
  message: Promise<string>;
  es: EventSource;
} {
  const es = new EventSource(url);
  const opened = new Promise<void>((resolve) => {
    es.onopen = () => resolve();
  });
  const message = new Promise<string>((resolve) => {
    es.onmessage = (e) => resolve(e.data);
  });
  return { opened, message, es };
}

describe("seed 001: verified events filtered per client's e-mail", () => {
  it('delivers each emitted event only to the client whose query matches', async () => {
    const { app, url } = await startApp(AppModule);
    const ada = firstMessage(`${url}/verified?email=ada@example.com`);
    const bob = firstMessage(`${url}/verified?email=bob@example.com`);
    try {
      await Promise.all([ada.opened, bob.opened]);
      const post = (body: object) =>
        fetch(`${url}/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const res = await post({ email: 'bob@example.com', isVerified: true });
      assert.equal(res.status, 202);
      assert.equal(await bob.message, '{"isVerifiedFilter":true}');
      await (await post({ email: 'ada@example.com', isVerified: false })).body?.cancel();
      assert.equal(await ada.message, '{"isVerifiedFilter":false}');
      const bad = await post({ email: 'not-an-email', isVerified: 'yes' });
      assert.equal(bad.status, 400);
      assert.deepEqual((await bad.json()).message, [
        'email must be an email',
        'isVerified must be a boolean value',
      ]);
    } finally {
      ada.es.close();
      bob.es.close();
      await app.close();
    }
  });
});
