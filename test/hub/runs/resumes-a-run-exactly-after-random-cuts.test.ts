import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { random } from '../../support/resuming-client.js';
import { sleep, until } from '../../support/http-server.js';
import { RunClient, numbers } from './support/run-client.js';
import { produced, startRun, startRunApp } from './support/run-app.js';

describe('a run resumed after cuts', () => {
  let app: Awaited<ReturnType<typeof startRunApp>>;
  before(async () => {
    app = await startRunApp();
  });
  after(() => app.close());

  it('gets every event once, in order, across random cuts, then herald:end done and 204', async () => {
    const seed = Date.now() >>> 0;
    const rand = random(seed);
    const n = 400;
    const cuts = Array.from({ length: 12 }, () => 1 + Math.floor(rand() * (n - 1)));
    const client = new RunClient(`${app.url}/runs/cuts`, { post: { count: n, everyMs: 2 }, cuts });
    const view = await client.done;
    assert.deepEqual(view.data, numbers(n), `seed ${seed}`);
    assert.equal(view.status, 'done');
    assert.equal(view.statuses.at(-1), 204, 'the resume after herald:end is answered 204');
    assert.ok(view.statuses.length >= 3, `reconnected after cuts: ${view.statuses.join(',')}`);
  });

  it('keeps producing while no client is connected, and replays it all to a late follower', async () => {
    const first = new RunClient(`${app.url}/runs/alone`, { post: { count: 60, everyMs: 10 } });
    await until(() => first.data.length >= 5, 'first events');
    first.close();
    const seen = first.data.length;
    await until(() => produced.get('alone')?.finished === true, 'the producer to finish', 20_000);
    assert.equal(produced.get('alone')?.yielded, 60);
    assert.equal(produced.get('alone')?.aborted, false, 'a client leaving never aborts it');
    assert.ok(seen < 60);
    const late = await new RunClient(`${app.url}/runs/alone`, { lastId: first.lastId }).done;
    assert.deepEqual(late.data, numbers(60).slice(seen), 'the rest, after its Last-Event-ID');
    assert.equal(late.status, 'done');
  });

  it('streams the same run to several followers, joined at different times', async () => {
    assert.equal(await startRun(app.url, 'many', { count: 150, everyMs: 5 }), 200);
    const followers: RunClient[] = [];
    for (let i = 0; i < 5; i++) {
      followers.push(new RunClient(`${app.url}/runs/many`, { cuts: i % 2 ? [30 + i * 10] : [] }));
      await sleep(60);
    }
    for (const view of await Promise.all(followers.map((f) => f.done))) {
      assert.deepEqual(view.data, numbers(150));
      assert.equal(view.status, 'done');
    }
  });
});
