import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Body,
  Controller,
  EventEmitter2,
  EventEmitterModule,
  type HeraldApplication,
  HttpCode,
  Hub,
  HubModule,
  Injectable,
  LastEventId,
  Module,
  OnEvent,
  Post,
  Query,
  Sse,
} from 'herald';
import { FILTER_VERIFIED, SseQueryDto, VerifyDto } from '../support/verification-dtos.js';
import { startApp } from '../app/http/start-app.js';
import { sleep, until } from '../support/http-server.js';
import { ResumingClient } from '../support/resuming-client.js';

/** Seed 001's listener, publishing through the Hub instead of a Subject per connection. */
@Injectable()
class VerifiedPublisher {
  constructor(private readonly hub: Hub) {}

  @OnEvent(FILTER_VERIFIED)
  publish(event: VerifyDto & { n?: number }) {
    // `n` numbers the bulk emits of the resume test (JSON leaves it out when absent).
    return this.hub.publish('verified', {
      data: { email: event.email, isVerifiedFilter: event.isVerified, n: event.n },
    });
  }
}

/** Seed 001's routes: each client sees only the events for its own e-mail, and can resume. */
@Controller()
class AppController {
  constructor(
    private readonly hub: Hub,
    private readonly eventService: EventEmitter2,
  ) {}

  @Sse('sse')
  sse(@Query() sseQuery: SseQueryDto, @LastEventId() lastEventId: string | undefined) {
    return this.hub.subscribe('verified', {
      lastEventId,
      filter: (event) => (event.data as VerifyDto).email === sseQuery.email,
    });
  }

  @Post('verify')
  @HttpCode(202)
  verify(@Body() body: VerifyDto) {
    this.eventService.emit(FILTER_VERIFIED, body);
    return { queued: true };
  }
}

@Module({
  imports: [EventEmitterModule.forRoot(), HubModule.forRoot({ history: { maxEvents: 10_000 } })],
  controllers: [AppController],
  providers: [VerifiedPublisher],
})
class AppModule {}

const EMAILS = ['ada@example.com', 'bob@example.com', 'carol@example.com'];

describe("seed 001's per-email filter through the Hub", () => {
  let app: HeraldApplication;
  let url: string;
  let hub: Hub;
  let events: EventEmitter2;
  before(async () => {
    ({ app, url } = await startApp(AppModule, { sse: { heartbeat: false } }));
    hub = app.get(Hub);
    events = app.get(EventEmitter2);
  });
  after(() => app.close());

  it('delivers an event posted to /verify only to the client whose e-mail it names', async () => {
    const ada = new ResumingClient(`${url}/sse?email=ada@example.com`);
    const bob = new ResumingClient(`${url}/sse?email=bob@example.com`);
    await Promise.all([ada.connect(), bob.connect()]);
    await until(() => hub.stats().topics.verified === 2, 'both subscribers');
    const res = await fetch(`${url}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bob@example.com', isVerified: true }),
    });
    assert.equal(res.status, 202);
    await res.body?.cancel();
    await bob.received(1);
    await sleep(30);
    assert.deepEqual(
      bob.events.map((e) => JSON.parse(e.data)),
      [{ email: 'bob@example.com', isVerifiedFilter: true }],
    );
    assert.equal(ada.events.length, 0);
    ada.close();
    bob.close();
  });

  it('keeps filtering on resume: each client ends with exactly its own events, no gap, no duplicate', async () => {
    const total = 3000;
    const plan = Array.from({ length: total }, (_, i) => ({
      email: EMAILS[(i * 7 + (i >> 3)) % EMAILS.length]!,
      isVerified: i % 2 === 0,
      n: i,
    }));
    const own = (email: string) => plan.filter((p) => p.email === email).map((p) => p.n);
    // Ada is cut three times, Bob once; Carol has no client (her events are filtered for everyone).
    const ada = new ResumingClient(`${url}/sse?email=ada@example.com`, [1, 250, 600]);
    const bob = new ResumingClient(`${url}/sse?email=bob@example.com`, [500]);
    await Promise.all([ada.connect(), bob.connect()]);
    await until(() => hub.stats().topics.verified === 2, 'both subscribers');
    const gapsBefore = hub.stats().gaps;

    for (let i = 0; i < total; i += 100) {
      for (const p of plan.slice(i, i + 100)) {
        events.emit(FILTER_VERIFIED, { email: p.email, isVerified: p.isVerified, n: p.n });
      }
      await new Promise((r) => setImmediate(r));
    }
    await ada.received(own(EMAILS[0]!).length, 10_000);
    await bob.received(own(EMAILS[1]!).length, 10_000);
    await sleep(30);
    ada.close();
    bob.close();

    for (const [client, email] of [
      [ada, EMAILS[0]!],
      [bob, EMAILS[1]!],
    ] as const) {
      const got = client.events.map((e) => JSON.parse(e.data) as { email: string; n: number });
      assert.ok(
        got.every((e) => e.email === email),
        `${email} saw only its own`,
      );
      assert.deepEqual(
        got.map((e) => e.n),
        own(email),
      );
      assert.equal(client.notices.length, 0, `no gap for ${email}`);
      assert.equal(new Set(client.events.map((e) => e.id)).size, client.events.length);
    }
    assert.equal(ada.connections, 4);
    assert.equal(bob.connections, 2);
    assert.equal(hub.stats().gaps, gapsBefore);
  });
});
