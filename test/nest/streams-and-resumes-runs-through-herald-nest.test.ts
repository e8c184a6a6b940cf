import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Body, Controller, Delete, Module, Param } from '@nestjs/common';
import { HeraldModule, LastEventId, Runs, Sse } from 'herald/nest';
import { numbers, RunClient } from '../hub/runs/support/run-client.js';
import { openStream } from './support/read-stream.js';
import { PLATFORMS, type StartedNest, startNest } from './support/start-nest.js';

/** What `POST /runs/:id` starts: events `0`..`count-1`, one every `everyMs`. */
interface Plan {
  count: number;
  everyMs?: number;
}

/** Producers of this process by run id: how far each got, and whether it was aborted. */
const produced = new Map<string, { yielded: number; aborted: boolean }>();

async function* ticker(id: string, plan: Plan, signal: AbortSignal) {
  const state = { yielded: 0, aborted: false };
  produced.set(id, state);
  signal.addEventListener('abort', () => {
    state.aborted = true;
  });
  for (let i = 0; i < plan.count && !signal.aborted; i++) {
    await new Promise((r) => setTimeout(r, plan.everyMs ?? 2));
    state.yielded++;
    yield { data: String(i) };
  }
}

/** The controller of the README's resumable runs section, on herald/nest. */
@Controller('runs')
class RunsController {
  constructor(private readonly runs: Runs) {}

  @Sse(':id', { method: 'POST' })
  async start(@Param('id') id: string, @Body() plan: Plan) {
    await this.runs.start(id, (signal) => ticker(id, plan, signal));
    return this.runs.subscribe(id);
  }

  @Sse(':id')
  follow(@Param('id') id: string, @LastEventId() lastEventId?: string) {
    return this.runs.subscribe(id, { lastEventId });
  }

  @Delete(':id')
  cancel(@Param('id') id: string) {
    return this.runs.cancel(id);
  }
}

@Module({
  imports: [HeraldModule.forRoot({ runs: { ttlMs: 60_000 } })],
  controllers: [RunsController],
})
class RunsModule {}

for (const platform of PLATFORMS) {
  describe(`herald/nest on ${platform}: resumable runs`, () => {
    let nest: StartedNest;
    before(async () => {
      nest = await startNest(RunsModule, platform);
    });
    after(() => nest.app.close());

    it('streams a run from its POST and resumes it by GET after cuts: every event once, then herald:end and 204', async () => {
      const id = `cuts-${platform}`;
      const client = new RunClient(`${nest.url}/runs/${id}`, {
        post: { count: 200, everyMs: 2 },
        cuts: [17, 80, 151],
      });
      const view = await client.done;
      assert.deepEqual(view.data, numbers(200));
      assert.equal(view.status, 'done');
      assert.equal(view.statuses[0], 200, 'the POST streamed');
      assert.equal(view.statuses.at(-1), 204, 'the resume after herald:end is answered 204');
      assert.ok(view.statuses.length >= 5, `reconnected after each cut: ${view.statuses}`);
      assert.equal(produced.get(id)?.aborted, false, 'clients leaving never stopped the producer');
    });

    it('answers 409 for a run that exists and 404 for one that does not, as Nest JSON', async () => {
      const id = `twice-${platform}`;
      const first = await openStream(`${nest.url}/runs/${id}`, {
        method: 'POST',
        body: { count: 1_000, everyMs: 5 },
      });
      assert.equal(first.status, 200);
      const again = await openStream(`${nest.url}/runs/${id}`, {
        method: 'POST',
        body: { count: 1 },
      });
      assert.equal(again.status, 409, String(again.body));
      assert.deepEqual(JSON.parse(again.body!), {
        statusCode: 409,
        message: `run "${id}" is running or still retained`,
        error: 'Conflict',
      });
      const missing = await openStream(`${nest.url}/runs/never-started-${platform}`);
      assert.equal(missing.status, 404, String(missing.body));
      assert.equal(JSON.parse(missing.body!).statusCode, 404);
      // Cancelling ends the run for its follower with herald:end cancelled.
      const res = await fetch(`${nest.url}/runs/${id}`, { method: 'DELETE' });
      assert.equal(await res.text(), 'true');
      await first.until(() => first.ended(), 'the stream to end after the cancel');
      assert.deepEqual(JSON.parse(first.events.at(-1)!.data), { status: 'cancelled' });
      assert.equal(first.events.at(-1)!.type, 'herald:end');
    });

    it('injects the module-wide Runs: its stats count the runs started here', () => {
      const stats = nest.app.get(Runs).stats();
      assert.ok(stats.active + stats.retained >= 2, JSON.stringify(stats));
    });
  });
}
