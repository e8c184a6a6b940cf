import {
  Body,
  Controller,
  Delete,
  Get,
  type HeraldApplicationOptions,
  Hub,
  HubModule,
  type HubModuleOptions,
  LastEventId,
  Module,
  Param,
  Runs,
  Sse,
} from 'herald';
import { startApp } from '../../../app/http/start-app.js';

/** What `POST /runs/:id` starts: `count` events `0`..`count-1`, one every `everyMs`. */
export interface RunPlan {
  count: number;
  everyMs?: number;
  /** Throw instead of yielding event number `failAt`. */
  failAt?: number;
  ttlMs?: number;
}

/** What the test producers of this process did, by run id. */
export const produced = new Map<string, { yielded: number; aborted: boolean; finished: boolean }>();

/** The test model: numbered events at a pace, honouring the abort signal, failing on request. */
export async function* ticker(id: string, plan: RunPlan, signal: AbortSignal) {
  const state = { yielded: 0, aborted: false, finished: false };
  produced.set(id, state);
  signal.addEventListener('abort', () => {
    state.aborted = true;
  });
  try {
    for (let i = 0; i < plan.count; i++) {
      if (signal.aborted) return;
      if ((plan.everyMs ?? 0) > 0) await new Promise((r) => setTimeout(r, plan.everyMs));
      else if (i % 500 === 0) await new Promise((r) => setImmediate(r));
      if (i === plan.failAt) throw new Error('the model failed');
      state.yielded++;
      yield { data: String(i) };
    }
  } finally {
    state.finished = true;
  }
}

/** `POST /runs/:id` starts and streams, `GET /runs/:id` follows, `DELETE /runs/:id` cancels. */
@Controller('runs')
export class RunsController {
  constructor(private readonly runs: Runs) {}

  @Sse(':id', { method: 'POST' })
  async start(@Param('id') id: string, @Body() plan: RunPlan) {
    const options = plan.ttlMs === undefined ? {} : { ttlMs: plan.ttlMs };
    await this.runs.start(id, (signal) => ticker(id, plan, signal), options);
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

  @Get(':id/producer')
  producer(@Param('id') id: string) {
    return produced.get(id) ?? {};
  }
}

/** The routes of `RunsController`, plus `hub` and `runs`, on an app with `HubModule.forRoot(hub)`. */
export async function startRunApp(
  hub: HubModuleOptions = {},
  options: HeraldApplicationOptions = {},
) {
  @Module({ imports: [HubModule.forRoot(hub)], controllers: [RunsController] })
  class RunAppModule {}
  const { app, url } = await startApp(RunAppModule, {
    ...options,
    sse: { heartbeat: false, ...options.sse },
  });
  return { app, url, hub: app.get(Hub), runs: app.get(Runs), close: () => app.close() };
}

/** Starts run `id` by POST without reading its stream; resolves with the status. */
export async function startRun(url: string, id: string, plan: RunPlan): Promise<number> {
  const res = await fetch(`${url}/runs/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });
  await res.body?.cancel();
  return res.status;
}
