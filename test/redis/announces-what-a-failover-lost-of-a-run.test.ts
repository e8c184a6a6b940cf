import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunClient } from '../hub/runs/support/run-client.js';
import type { HeraldNode } from './support/cluster.js';
import { sleep, until } from './support/ground-truth.js';
import { MasterReplica } from './support/master-replica.js';
import { hasRedisServer, uniquePrefix } from './support/redis-server.js';
import { startRunNode } from './support/run-nodes.js';

// A run streams while its Redis master dies with entries its replica never got (the replica's link
// is held, then the replica is promoted). Followers must never get an event twice or out of
// order, and wherever events are missing they must have been told first: a `herald:gap` event
// (`reason: 'lost'`) in the run, before the events that follow the hole.

const PLAN = { count: 400, everyMs: 20 };

function isLossNotice(data: string): boolean {
  try {
    return (JSON.parse(data) as { reason?: string }).reason === 'lost';
  } catch {
    return false;
  }
}

/**
 * Checks one follower's view against the `yielded` events of the producer: numbers only go up,
 * never repeat, every hole in them comes right after a loss notice, and so do missing last
 * events. Returns how many events it missed.
 */
function checkView(data: readonly string[], status: string | undefined, yielded: number): number {
  assert.ok(status === 'done' || status === 'failed', `ended (${status})`);
  let next = 0;
  let told = false;
  let missed = 0;
  for (const d of data) {
    if (isLossNotice(d)) {
      told = true;
      continue;
    }
    const n = Number(d);
    assert.ok(n >= next, `event ${n} after ${next - 1}: twice or out of order (${data.join(' ')})`);
    if (n > next) {
      assert.ok(told, `events ${next}..${n - 1} missing without a notice (${data.join(' ')})`);
      missed += n - next;
    }
    next = n + 1;
    told = false;
  }
  assert.ok(next <= yielded, `more events than the producer made (${yielded})`);
  if (next < yielded) {
    // The last ones are missing (the producer stopped when Redis went away): told after the last.
    assert.ok(told, `events ${next}..${yielded - 1} missing without a notice (${data.join(' ')})`);
    missed += yielded - next;
  }
  return missed;
}

/** How many events the producer on `node` yielded for run `id`. */
async function yielded(node: HeraldNode, id: string): Promise<number> {
  const res = await fetch(`${node.url}/runs/${id}/producer`);
  return ((await res.json()) as { yielded: number }).yielded;
}

async function withRun(
  name: string,
  body: (redis: MasterReplica, nodes: HeraldNode[], prefix: string) => Promise<void>,
): Promise<void> {
  const prefix = uniquePrefix(name);
  const redis = await MasterReplica.start(2, prefix);
  let nodes: HeraldNode[] = [];
  try {
    nodes = await Promise.all(redis.proxies.map((p) => startRunNode(p.url, prefix, 10_000)));
    await body(redis, nodes, prefix);
  } finally {
    await Promise.all(nodes.map((n) => n.kill()));
    await redis.stop();
  }
}

describe('A run whose Redis fails over and loses entries', {
  skip: hasRedisServer() ? false : 'no redis-server binary to start a master and a replica',
}, () => {
  it('lost before any process read them: every follower is told where, and gets nothing twice', async () => {
    await withRun('run-failover-lost', async (redis, [a, b]) => {
      const onA = new RunClient(`${a!.url}/runs/r1`, { post: PLAN });
      // Followed on b once it exists (before, b answers 404).
      await until(() => onA.data.length > 0, 'the run to start');
      const onB = new RunClient([`${b!.url}/runs/r1`, `${a!.url}/runs/r1`]);
      try {
        await until(() => onA.data.length >= 30 && onB.data.length >= 30, 'both followers');
        await redis.caughtUp();
        redis.replication.hold('all');
        for (const p of redis.proxies) p.hold('feeds');
        await sleep(400);
        const seen = [onA.data.length, onB.data.length];
        await redis.failOver();
        const views = await Promise.all([onA.done, onB.done]);
        const made = await yielded(a!, 'r1');
        for (const [i, view] of views.entries()) {
          const missed = checkView(view.data, view.status, made);
          // What the producer wrote while the replica was held is gone, and was never read.
          assert.ok(missed > 0, `follower ${i} missed the lost events (${view.data.join(' ')})`);
          assert.ok(view.data.length > seen[i]!, 'it was told');
        }
      } finally {
        onA.close();
        onB.close();
      }
    });
  });

  it("read by one process only: the other's followers are told, and a resume from a lost id replays nothing twice", async () => {
    await withRun('run-failover-rewound', async (redis, [a, b]) => {
      const onA = new RunClient(`${a!.url}/runs/r2`, { post: PLAN });
      await until(() => onA.data.length > 0, 'the run to start');
      const onB = new RunClient(`${b!.url}/runs/r2`);
      try {
        await until(() => onA.data.length >= 30 && onB.data.length >= 30, 'both followers');
        await redis.caughtUp();
        redis.replication.hold('all');
        // Process b reads nothing more; process a reads what Redis is about to lose.
        redis.proxies[1]!.hold('feeds');
        const heldAt = onB.data.length;
        await until(() => onA.data.length >= heldAt + 8, 'a to read events the replica lacks');
        const lostId = onA.lastId;
        const lastSeenOnA = Number(onA.data.at(-1));
        await redis.failOver();
        const views = await Promise.all([onA.done, onB.done]);
        const made = await yielded(a!, 'r2');
        assert.ok(
          checkView(views[1]!.data, views[1]!.status, made) > 0,
          "b's follower missed some",
        );
        checkView(views[0]!.data, views[0]!.status, made);
        // A client that had events the log lost resumes after them: told, nothing it had again.
        const resumed = new RunClient(`${b!.url}/runs/r2`, { lastId: lostId });
        const view = await resumed.done;
        assert.ok(isLossNotice(view.data[0]!), `told first (${view.data.join(' ')})`);
        const numbers = view.data.filter((d) => !isLossNotice(d)).map(Number);
        assert.ok(
          numbers.every((n) => n > lastSeenOnA),
          `nothing at or below ${lastSeenOnA} again`,
        );
        // Exactly what survived after it: what b's follower (which never had the lost ones) got.
        assert.deepEqual(
          numbers,
          views[1]!.data
            .filter((d) => !isLossNotice(d))
            .map(Number)
            .filter((n) => n > lastSeenOnA),
        );
      } finally {
        onA.close();
        onB.close();
      }
    });
  });
});
