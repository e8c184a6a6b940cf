import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sleep } from '../../support/http-server.js';
import { numbers, RunClient } from './support/run-client.js';
import { startRun, startRunApp } from './support/run-app.js';

describe("a run's retention", () => {
  let app: Awaited<ReturnType<typeof startRunApp>>;
  before(async () => {
    // A history of 20 events, shared by every topic: the run must not live in it.
    app = await startRunApp({ history: { maxEvents: 20 }, runs: { ttlMs: 60_000 } });
  });
  after(() => app.close());

  it('keeps every event of a run while other topics publish far past the history', async () => {
    assert.equal(await startRun(app.url, 'kept', { count: 100, everyMs: 1 }), 200);
    for (let i = 0; i < 2_000; i++) await app.hub.publish(`busy${i % 3}`, { data: i });
    const fresh = await new RunClient(`${app.url}/runs/kept`).done;
    assert.deepEqual(fresh.data, numbers(100));
    assert.equal(fresh.status, 'done');
    assert.ok((await app.hub.broker.readAll()).length <= 20, 'the shared history did overflow');
  });

  it('releases an ended run ttlMs after its end (then 404, and start is free again)', async () => {
    assert.equal(await startRun(app.url, 'short', { count: 3, ttlMs: 300 }), 200);
    const started = Date.now();
    while ((await fetch(`${app.url}/runs/short`)).status !== 404) {
      assert.ok(Date.now() - started < 10_000, 'released within 10 s of a 300 ms ttl');
      await sleep(50);
    }
    assert.equal(await startRun(app.url, 'short', { count: 2 }), 200, 'the id is free again');
    const view = await new RunClient(`${app.url}/runs/short`).done;
    assert.deepEqual(view.data, numbers(2), 'the new run, not the old one');
  });

  it('counts active and retained runs in hub.stats()', async () => {
    const before = app.hub.stats().runs;
    assert.equal(await startRun(app.url, 'counted', { count: 1000, everyMs: 5 }), 200);
    assert.deepEqual(app.hub.stats().runs, {
      active: before.active + 1,
      retained: before.retained,
    });
    await app.runs.cancel('counted');
    await sleep(20);
    assert.deepEqual(app.hub.stats().runs, {
      active: before.active,
      retained: before.retained + 1,
    });
    assert.deepEqual(app.runs.stats(), app.hub.stats().runs);
  });
});
