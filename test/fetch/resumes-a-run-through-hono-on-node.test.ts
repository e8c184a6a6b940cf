import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { lastEventIdOf, refusalResponse, sseResponse } from 'herald/fetch';
import { Hub, Runs } from 'herald/hub';
import { Hono } from 'hono';
import { numbers, RunClient } from '../hub/runs/support/run-client.js';
import { until } from '../support/http-server.js';

/** Producers of this process by run id: whether a client's leaving ever aborted one. */
const aborted = new Map<string, boolean>();

/** Events `0`..`count-1`, one every 2 ms, honouring the run's abort signal. */
async function* ticker(id: string, count: number, signal: AbortSignal) {
  aborted.set(id, false);
  signal.addEventListener('abort', () => aborted.set(id, true));
  for (let i = 0; i < count && !signal.aborted; i++) {
    await new Promise((r) => setTimeout(r, 2));
    yield { data: String(i) };
  }
}

/** The README's runs, as Hono routes: POST starts and streams, GET follows or resumes. */
function runsApp(runs: Runs): Hono {
  const app = new Hono();
  app.post('/runs/:id', async (c) => {
    const id = c.req.param('id');
    const { count } = await c.req.json<{ count: number }>();
    await runs.start(id, (signal) => ticker(id, count, signal));
    return sseResponse(await runs.subscribe(id), { request: c.req.raw });
  });
  app.get('/runs/:id', async (c) =>
    sseResponse(
      // null once the client has the run's herald:end: sseResponse answers it 204.
      await runs.subscribe(c.req.param('id'), { lastEventId: lastEventIdOf(c.req.raw) }),
      { request: c.req.raw },
    ),
  );
  app.onError((err, c) => refusalResponse(err) ?? c.text('Internal Server Error', 500));
  return app;
}

describe('herald/fetch: a run on Hono (@hono/node-server)', () => {
  const hub = new Hub();
  const runs = new Runs(hub);
  let server: ServerType;
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: runsApp(runs).fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(),
      );
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await runs.close();
    await hub.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('streams a run from its POST and resumes it after cuts: every event once, then herald:end and 204', async () => {
    const client = new RunClient(`${url}/runs/cut`, {
      post: { count: 300 },
      cuts: [23, 101, 102, 250],
    });
    const view = await client.done;
    assert.deepEqual(view.data, numbers(300));
    assert.equal(view.status, 'done');
    assert.equal(view.statuses[0], 200, 'the POST streamed');
    assert.equal(view.statuses.at(-1), 204, 'the resume after herald:end is answered 204');
    assert.ok(view.statuses.length >= 6, `reconnected after each cut: ${view.statuses}`);
    assert.equal(aborted.get('cut'), false, 'clients leaving never stopped the producer');

    // A late follower with no Last-Event-ID gets the whole run; with the end's id, 204.
    const late = await new RunClient(`${url}/runs/cut`).done;
    assert.deepEqual(late.data, numbers(300));
    assert.equal(late.status, 'done');
    const res = await fetch(`${url}/runs/cut`, { headers: { 'last-event-id': client.lastId } });
    assert.equal(res.status, 204);
  });

  it('answers 409 for a run that exists and 404 for one that does not, as JSON', async () => {
    const first = new RunClient(`${url}/runs/twice`, { post: { count: 50 } });
    await until(() => first.data.length > 0, 'the run to start');
    const again = await fetch(`${url}/runs/twice`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 1 }),
    });
    assert.equal(again.status, 409);
    assert.deepEqual(await again.json(), {
      statusCode: 409,
      message: 'run "twice" is running or still retained',
      error: 'Conflict',
    });
    const missing = await fetch(`${url}/runs/never-started`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), {
      statusCode: 404,
      message: 'no run "never-started"',
      error: 'Not Found',
    });
    assert.deepEqual((await first.done).data, numbers(50));
  });
});
