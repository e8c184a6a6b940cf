import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { numbers, RunClient } from '../../hub/runs/support/run-client.js';
import { startRun } from '../../hub/runs/support/run-app.js';
import { sleep, until } from '../../support/http-server.js';
import { type HeraldNode, startFixture } from './cluster.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/herald-runs-node.js', import.meta.url));

/**
 * Starts one Herald process with run routes on `prefix` (fixtures/herald-runs-node.ts); `env` adds
 * HERALD_REDIS_CLUSTER or HERALD_REDIS_SHARDS.
 */
export function startRunNode(
  redisUrl: string,
  prefix: string,
  leaseMs: number,
  env: Record<string, string> = {},
): Promise<HeraldNode> {
  return startFixture(FIXTURE, {
    REDIS_URL: redisUrl,
    HERALD_PREFIX: prefix,
    LEASE_MS: String(leaseMs),
    ...env,
  });
}

/**
 * Starts run `id` on `a`, follows it on `b`, cancels it from `b`: the follower ends `cancelled`
 * with an unbroken prefix of the run, and the producer on `a` is aborted and stops.
 */
export async function cancelFromTheOtherProcess(a: HeraldNode, b: HeraldNode, id: string) {
  assert.equal(await startRun(a.url, id, { count: 500, everyMs: 10 }), 200);
  const onB = new RunClient(`${b.url}/runs/${id}`);
  await until(() => onB.data.length >= 5, 'events on b', 10_000);
  const res = await fetch(`${b.url}/runs/${id}`, { method: 'DELETE' });
  assert.equal(await res.text(), 'true');
  const view = await onB.done;
  assert.equal(view.status, 'cancelled');
  assert.deepEqual(view.data, numbers(view.data.length));
  let producer: { aborted?: boolean; finished?: boolean } = {};
  const started = Date.now();
  while (!producer.finished) {
    assert.ok(Date.now() - started < 10_000, 'the producer on a stops');
    await sleep(50);
    producer = (await (await fetch(`${a.url}/runs/${id}/producer`)).json()) as typeof producer;
  }
  assert.equal(producer.aborted, true);
}
