import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isHeraldError } from 'herald';
import { until } from '../../support/http-server.js';
import { numbers, RunClient } from './support/run-client.js';
import { produced, startRun, startRunApp } from './support/run-app.js';

describe('how a run ends', () => {
  const errors: Array<{ id: string; error: unknown }> = [];
  let app: Awaited<ReturnType<typeof startRunApp>>;
  before(async () => {
    app = await startRunApp({
      runs: { maxEvents: 50, maxBytes: 4096, onError: (id, error) => errors.push({ id, error }) },
    });
  });
  after(() => app.close());

  it('cancel aborts the producer and ends every follower with herald:end cancelled', async () => {
    assert.equal(await startRun(app.url, 'stop', { count: 45, everyMs: 20 }), 200);
    const a = new RunClient(`${app.url}/runs/stop`);
    const b = new RunClient(`${app.url}/runs/stop`);
    await until(() => a.data.length >= 3 && b.data.length >= 3, 'events before the cancel');
    const res = await fetch(`${app.url}/runs/stop`, { method: 'DELETE' });
    assert.equal(await res.text(), 'true');
    for (const view of await Promise.all([a.done, b.done])) {
      assert.equal(view.status, 'cancelled');
      assert.ok(view.data.length < 45);
      assert.deepEqual(view.data, numbers(view.data.length));
    }
    await until(() => produced.get('stop')?.finished === true, 'the generator to stop');
    assert.equal(produced.get('stop')?.aborted, true, 'its signal was aborted');
    assert.ok(produced.get('stop')!.yielded < 45);
    assert.equal(await app.runs.cancel('stop'), false, 'no longer running');
    assert.equal(await app.runs.cancel('never-started'), false);
  });

  it('a producer that throws ends the run failed, with what it published before', async () => {
    const view = await new RunClient(`${app.url}/runs/broken`, {
      post: { count: 10, failAt: 4 },
    }).done;
    assert.deepEqual(view.data, numbers(4));
    assert.equal(view.status, 'failed');
    assert.match(
      String((errors.find((e) => e.id === 'broken')?.error as Error | undefined)?.message),
      /model failed/,
    );
  });

  it('a run past its cap of events ends failed with RUN_TOO_LARGE', async () => {
    const view = await new RunClient(`${app.url}/runs/huge`, { post: { count: 200 } }).done;
    assert.deepEqual(view.data, numbers(50), 'exactly maxEvents are kept and sent');
    assert.equal(view.status, 'failed');
    const error = errors.find((e) => e.id === 'huge')?.error;
    assert.ok(isHeraldError(error, 'RUN_TOO_LARGE'), String(error));
    assert.match((error as Error).message, /cap of 50 events or 4096 bytes/);
  });

  it('a run past its cap of bytes ends failed too', async () => {
    await app.runs.start('fat', [{ data: 'x'.repeat(3000) }, { data: 'y'.repeat(3000) }]);
    const view = await new RunClient(`${app.url}/runs/fat`).done;
    assert.equal(view.data.length, 1);
    assert.equal(view.status, 'failed');
    assert.ok(isHeraldError(errors.find((e) => e.id === 'fat')?.error, 'RUN_TOO_LARGE'));
  });
});
