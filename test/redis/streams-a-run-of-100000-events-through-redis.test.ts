import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { numbers, RunClient } from '../hub/runs/support/run-client.js';
import type { HeraldNode } from './support/cluster.js';
import { dropPrefix, testRedis, uniquePrefix } from './support/redis-server.js';
import { startRunNode } from './support/run-nodes.js';

const redis = await testRedis();

describe('a run of 100,000 events on Redis', { skip: redis.skip }, () => {
  const prefix = uniquePrefix('big-run');
  let a: HeraldNode;
  let b: HeraldNode;
  before(async () => {
    [a, b] = await Promise.all([
      startRunNode(redis.url, prefix, 10_000),
      startRunNode(redis.url, prefix, 10_000),
    ]);
  });
  after(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await dropPrefix(redis.url, prefix);
    await redis.stop();
  });

  it('reaches a follower moving between processes, whole and in order', async () => {
    const n = 100_000;
    const view = await new RunClient([`${a.url}/runs/big`, `${b.url}/runs/big`], {
      post: { count: n },
      cuts: [5_000, 50_000],
    }).done;
    assert.equal(view.data.length, n);
    assert.deepEqual(view.data, numbers(n));
    assert.equal(view.status, 'done');
    const late = await new RunClient(`${b.url}/runs/big`).done;
    assert.deepEqual(late.data, numbers(n));
  });
});
