import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Body, Controller, Module, Param } from '@nestjs/common';
import { HeraldModule, Hub, LastEventId, Runs, Sse } from 'herald/nest';
import { Registry } from 'prom-client';
import { sleep } from '../support/http-server.js';
import { delta, type Samples, scrape, value } from '../metrics/support/scrape.js';
import { openStream } from './support/read-stream.js';
import { PLATFORMS, type StartedNest, startNest } from './support/start-nest.js';

/** Run producers waiting to be let go, by run id. */
const holds = new Map<string, () => void>();

@Controller()
class StreamsController {
  constructor(
    private readonly hub: Hub,
    private readonly runs: Runs,
  ) {}

  @Sse('news')
  news() {
    return this.hub.subscribe('news');
  }

  @Sse('runs/:id', { method: 'POST' })
  async start(@Param('id') id: string, @Body() _body: unknown) {
    const finished = new Promise<void>((resolve) => holds.set(id, resolve));
    await this.runs.start(id, async function* () {
      yield { data: 'started' };
      await finished;
    });
    return this.runs.subscribe(id);
  }

  @Sse('runs/:id')
  follow(@Param('id') id: string, @LastEventId() lastEventId?: string) {
    return this.runs.subscribe(id, { lastEventId });
  }
}

/** Scrapes until `check` holds (generous: a client leaving reaches the server asynchronously). */
async function scrapeUntil(url: string, check: (s: Samples) => boolean, what: string) {
  const end = Date.now() + 20_000;
  for (;;) {
    const samples = await scrape(url);
    if (check(samples)) return samples;
    if (Date.now() > end) throw new Error(`${what}: not within 20 s`);
    await sleep(20);
  }
}

for (const platform of PLATFORMS) {
  describe(`herald/nest on ${platform}: HeraldModule.forRoot({ metrics })`, () => {
    const registry = new Registry();
    @Module({
      imports: [HeraldModule.forRoot({ metrics: { registry, path: '/ops/metrics' } })],
      controllers: [StreamsController],
    })
    class MetricsModule {}

    let nest: StartedNest;
    let metrics = '';
    before(async () => {
      nest = await startNest(MetricsModule, platform);
      metrics = `${nest.url}/ops/metrics`;
    });
    after(() => nest.app.close());

    it("serves the registry's text format on its path, with Herald's metrics in it", async () => {
      const res = await fetch(metrics);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const text = await res.text();
      for (const name of [
        'herald_streams_open',
        'herald_hub_published_total',
        'herald_runs_active',
      ]) {
        assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'));
      }
    });

    it('shows herald_streams_open with a stream open, and counts its close', async () => {
      const before = await scrape(metrics);
      assert.equal(value(before, 'herald_streams_open'), 0);
      const stream = await openStream(`${nest.url}/news`);
      assert.equal(stream.status, 200);
      const during = await scrape(metrics);
      assert.equal(value(during, 'herald_streams_open'), 1);
      assert.equal(delta(before, during, 'herald_streams_opened_total'), 1);
      assert.equal(value(during, 'herald_hub_subscribers'), 1);
      await nest.app.get(Hub).publish('news', { data: 'hello' });
      await stream.until(() => stream.events.length === 1, 'the event');
      stream.close();
      const afterClose = await scrapeUntil(
        metrics,
        (s) => value(s, 'herald_streams_open') === 0,
        'the stream to close',
      );
      assert.equal(delta(before, afterClose, 'herald_streams_closed_total{reason="client"}'), 1);
      assert.ok(delta(before, afterClose, 'herald_hub_delivered_total') >= 1);
    });

    it('shows herald_runs_active while a run produces and 0 after, and counts a 404 as refused', async () => {
      const id = `run-${platform}`;
      const run = await openStream(`${nest.url}/runs/${id}`, { method: 'POST', body: {} });
      assert.equal(run.status, 200);
      await run.until(() => run.events.length === 1, 'the first event');
      assert.equal(value(await scrape(metrics), 'herald_runs_active'), 1);
      holds.get(id)!();
      await run.until(() => run.ended(), 'the run to end');
      assert.equal(run.events.at(-1)?.type, 'herald:end');
      await scrapeUntil(metrics, (s) => value(s, 'herald_runs_active') === 0, 'the run to end');

      const before = await scrape(metrics);
      const missing = await openStream(`${nest.url}/runs/no-such-run`);
      assert.equal(missing.status, 404);
      const afterMissing = await scrape(metrics);
      assert.equal(
        delta(before, afterMissing, 'herald_streams_refused_total{reason="handler"}'),
        1,
      );
    });
  });
}
