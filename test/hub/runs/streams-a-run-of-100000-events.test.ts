import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { numbers, RunClient } from './support/run-client.js';
import { startRunApp } from './support/run-app.js';

describe('a run of 100,000 events', () => {
  let app: Awaited<ReturnType<typeof startRunApp>>;
  before(async () => {
    app = await startRunApp();
  });
  after(() => app.close());

  it('reaches a follower that cuts twice, and a late one, whole and in order', async () => {
    const n = 100_000;
    const first = new RunClient(`${app.url}/runs/big`, {
      post: { count: n },
      cuts: [1_000, 60_000],
    });
    const view = await first.done;
    assert.equal(view.data.length, n);
    assert.deepEqual(view.data, numbers(n));
    assert.equal(view.status, 'done');
    const late = await new RunClient(`${app.url}/runs/big`).done;
    assert.equal(late.data.length, n);
    assert.deepEqual(late.data, numbers(n));
  });
});
