import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { MessageEvent } from 'herald';
import { Hub, isHeraldError, Runs, type RunsOptions } from 'herald/hub';
import { RedisBroker } from 'herald/redis';
import { Redis } from 'ioredis';
import { dropPrefix, testRedis, uniquePrefix } from './support/redis-server.js';

const redis = await testRedis();

/** A run's events as one follower got them: data, `gap` for a loss notice, `end:<status>`. */
async function follow(runs: Runs, id: string, lastEventId?: string): Promise<string[]> {
  const sub = await runs.subscribe(id, lastEventId === undefined ? {} : { lastEventId });
  if (sub === null) return [];
  const seen: string[] = [];
  return new Promise((resolve, reject) => {
    sub.subscribe({
      next: (e: MessageEvent<unknown>) => {
        if (e.type === 'herald:gap') seen.push('gap');
        else if (e.type === 'herald:end') seen.push(`end:${(e.data as { status: string }).status}`);
        else seen.push(String(e.data));
      },
      error: reject,
      complete: () => resolve(seen),
    });
  });
}

async function withRuns(
  name: string,
  options: RunsOptions,
  body: (runs: Runs, admin: Redis, prefix: string) => Promise<void>,
): Promise<void> {
  const prefix = uniquePrefix(name);
  const hub = new Hub({ broker: new RedisBroker({ url: redis.url, prefix }) });
  const runs = new Runs(hub, options);
  const admin = new Redis(redis.url);
  try {
    await hub.ready;
    await body(runs, admin, prefix);
  } finally {
    admin.disconnect();
    await runs.close();
    await hub.close();
    await dropPrefix(redis.url, prefix);
  }
}

/** Resolves when `open()` is called: a producer waits on it between its yields. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe('runs on Redis', { skip: redis.skip }, () => {
  after(() => redis.stop());

  it('a run past its cap of events ends failed with RUN_TOO_LARGE', async () => {
    const errors: unknown[] = [];
    await withRuns(
      'run-cap',
      { maxEvents: 5, onError: (_id, e) => errors.push(e) },
      async (runs) => {
        await runs.start(
          'huge',
          Array.from({ length: 20 }, (_, i) => ({ data: String(i) })),
        );
        assert.deepEqual(await follow(runs, 'huge'), ['0', '1', '2', '3', '4', 'end:failed']);
        assert.ok(isHeraldError(errors.at(-1), 'RUN_TOO_LARGE'), String(errors.at(-1)));
      },
    );
  });

  it('after a lost append, appends in flight write one loss entry, which the cap does not count; a lost id resumes after it, a foreign one from the start', async () => {
    const errors: unknown[] = [];
    await withRuns(
      'run-loss',
      { maxEvents: 8, onError: (_id, e) => errors.push(e) },
      async (runs, admin, prefix) => {
        const lost = gate();
        const end = gate();
        const log = `${prefix}:run:{r}:log`;
        await runs.start('r', async function* () {
          for (let i = 0; i < 3; i++) yield { data: String(i) };
          await lost.wait;
          // Four appends in flight at once, all sent with the lost one as the last acknowledged.
          for (let i = 3; i < 7; i++) yield { data: String(i) };
          await end.wait;
          for (let i = 7; i < 10; i++) yield { data: String(i) };
        });
        const ids = async () => (await admin.xrange(log, '-', '+')) as [string, string[]][];
        const end2 = Date.now() + 10_000;
        while ((await ids()).length < 3) {
          if (Date.now() > end2) throw new Error('the first events');
          await new Promise((r) => setTimeout(r, 10));
        }
        // What a failover to a replica that never got it does to the run's last entry.
        const gone = (await ids())[2]![0];
        await admin.xdel(log, gone);
        lost.open();
        while ((await ids()).length < 7) await new Promise((r) => setTimeout(r, 10));
        const entries = await ids();
        assert.deepEqual(
          entries.map(([, f]) =>
            f.includes('g') ? 'loss' : (JSON.parse(f[1]!) as { data: string }).data,
          ),
          ['0', '1', 'loss', '3', '4', '5', '6'],
          'one loss entry, just where the lost entry was',
        );
        assert.equal(entries[2]![1][3], gone, 'it names the lost id');
        end.open();
        // The cap (8 events) counts events only: 7 and 8 fit, 9 does not.
        assert.deepEqual(await follow(runs, 'r'), '0 1 gap 3 4 5 6 7 8 end:failed'.split(' '));
        assert.ok(isHeraldError(errors.at(-1), 'RUN_TOO_LARGE'), String(errors.at(-1)));
        // A client that had the lost event resumes after it: told, nothing it had again.
        assert.deepEqual(await follow(runs, 'r', gone), 'gap 3 4 5 6 7 8 end:failed'.split(' '));
        // An id of no range that was lost (not the run's own) replays the run from its start.
        const [ms, seq] = entries[4]![0].split('-');
        const foreign = `${ms}-${Number(seq) + 1000}`;
        assert.deepEqual((await follow(runs, 'r', foreign)).slice(0, 3), ['0', '1', 'gap']);
      },
    );
  });
});
