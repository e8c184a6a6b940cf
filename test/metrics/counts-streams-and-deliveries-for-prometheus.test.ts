import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventSource } from 'eventsource';
import {
  type CanActivate,
  Controller,
  type HeraldApplication,
  Hub,
  HubModule,
  Module,
  Req,
  Sse,
  UseGuards,
} from 'herald';
import { Registry } from 'prom-client';
import { Observable, of } from 'rxjs';
import { startApp } from '../app/http/start-app.js';
import { until } from '../support/http-server.js';
import { delta, type Samples, scrape, value } from './support/scrape.js';

class Deny implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Controller()
class StreamsController {
  constructor(private readonly hub: Hub) {}

  @Sse('news')
  news() {
    return this.hub.subscribe('news');
  }

  @Sse('secret')
  secret(@Req() req: unknown) {
    return this.hub.subscribe('secret', { context: req });
  }

  @Sse('guarded')
  @UseGuards(Deny)
  guarded() {
    return of({ data: 'never' });
  }

  @Sse('finite')
  finite() {
    return of({ data: 1 }, { data: 2 });
  }

  @Sse('broken')
  broken() {
    return new Observable((sub) => sub.error(new Error('cannot start')));
  }
}

@Module({
  imports: [HubModule.forRoot({ authorize: (topic) => topic !== 'secret' })],
  controllers: [StreamsController],
})
class AppModule {}

const LAG_COUNT = 'herald_hub_delivery_lag_seconds_count';

describe('app.enableMetrics() with real clients', () => {
  let app: HeraldApplication;
  let url: string;
  const registry = new Registry();
  const clients: EventSource[] = [];
  const received: number[] = [];

  before(async () => {
    ({ app, url } = await startApp(
      AppModule,
      {
        // The client address is the `c` query parameter, so one test process can be many clients.
        limits: {
          maxStreamsPerAddress: 1,
          addressOf: (req) => new URL(req.url ?? '/', 'http://x').searchParams.get('c') ?? '-',
        },
      },
      (a) => a.enableMetrics({ path: '/metrics', registry }),
    ));
  });

  after(async () => {
    for (const es of clients) es.close();
    await app.close();
  });

  const metrics = (): Promise<Samples> => scrape(`${url}/metrics`);

  it('counts opens, published and delivered events, and the lag of each event once', async () => {
    const start = await metrics();
    for (let i = 0; i < 5; i++) {
      const es = new EventSource(`${url}/news?c=${i}`);
      received.push(0);
      es.onmessage = () => received[i]!++;
      clients.push(es);
    }
    const hub = app.get(Hub);
    await until(() => hub.stats().subscribers === 5, '5 subscribers');
    const opened = await metrics();
    assert.equal(value(opened, 'herald_streams_open'), 5);
    assert.equal(value(opened, 'herald_hub_subscribers'), 5);
    assert.equal(delta(start, opened, 'herald_streams_opened_total'), 5);

    for (let i = 0; i < 3; i++) await hub.publish('news', { data: { i } });
    await until(() => received.every((n) => n === 3), 'every client to get 3 events');
    const published = await metrics();
    assert.equal(delta(opened, published, 'herald_hub_published_total'), 3);
    assert.equal(delta(opened, published, 'herald_hub_delivered_total'), 15);
    // One observation per event, not per subscriber.
    assert.equal(delta(opened, published, LAG_COUNT), 3);
    assert.equal(value(published, 'herald_hub_delivery_lag_seconds_bucket{le="+Inf"}'), 3);
    const sum = value(published, 'herald_hub_delivery_lag_seconds_sum');
    assert.ok(sum > 0 && sum < 30, `lag sum ${sum} s`);
    // The in-memory broker's ids carry no time: no feed lag series.
    assert.equal(published.has('herald_broker_feed_lag_seconds_count'), false);
  });

  it('counts closes by reason', async () => {
    const before = await metrics();
    clients.shift()!.close();
    clients.shift()!.close();
    const finite = await fetch(`${url}/finite?c=finite`);
    assert.match(await finite.text(), /data: 2/);
    await until(() => app.get(Hub).stats().subscribers === 3, 'two clients to leave');
    // A close is counted in the same tick its subscriber leaves the hub.
    const now = await metrics();
    assert.equal(delta(before, now, 'herald_streams_closed_total{reason="client"}'), 2);
    assert.equal(delta(before, now, 'herald_streams_closed_total{reason="complete"}'), 1);
    assert.equal(delta(before, now, 'herald_streams_closed_total{reason="slow-consumer"}'), 0);
    assert.equal(value(now, 'herald_streams_open'), 3);
  });

  it('counts refusals under bounded, documented reasons', async () => {
    const before = await metrics();
    const status = async (path: string) => {
      const res = await fetch(`${url}${path}`);
      await res.arrayBuffer();
      return res.status;
    };
    assert.equal(await status('/guarded?c=g'), 403);
    assert.equal(await status('/secret?c=s'), 403);
    assert.equal(await status('/broken?c=b'), 500);
    // c=2 still holds its stream (clients 0 and 1 left): the per-address cap is 1.
    assert.equal(await status('/news?c=2'), 429);
    const now = await metrics();
    const refused = (reason: string) =>
      delta(before, now, `herald_streams_refused_total{reason="${reason}"}`);
    assert.equal(refused('guard'), 1);
    assert.equal(refused('topic-forbidden'), 1);
    assert.equal(refused('source'), 1);
    assert.equal(refused('max-streams-per-address'), 1);
    assert.equal(refused('max-streams'), 0);
    assert.equal(refused('validation'), 0);
    // No topic or client label anywhere: every series name is from the fixed list.
    for (const series of now.keys()) {
      if (series.startsWith('herald_')) assert.doesNotMatch(series, /topic=|client=|c=/);
    }
  });

  it('takes its metrics out of the registry when the app closes', async () => {
    assert.match(await registry.metrics(), /herald_streams_open/);
    for (const es of clients.splice(0)) es.close();
    await app.close();
    assert.doesNotMatch(await registry.metrics(), /herald_/);
  });
});
