import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Hub, Runs } from 'herald/hub';
import { metricsEndpoint, registerHeraldMetrics } from 'herald/metrics';
import { Registry } from 'prom-client';
import { sleep } from '../support/http-server.js';
import { scrape, value } from './support/scrape.js';

/** A producer that yields one event, then waits until `finish` is called. */
function heldOpen(): { source: () => AsyncGenerator<{ data: string }>; finish(): void } {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    source: async function* () {
      yield { data: 'started' };
      await finished;
    },
    finish: () => finish(),
  };
}

/** Scrapes until `herald_runs_active` reads `n` (generous: the run's end is asynchronous). */
async function activeBecomes(url: string, n: number, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    const active = value(await scrape(url), 'herald_runs_active');
    if (active === n) return;
    if (Date.now() > end) throw new Error(`${what}: herald_runs_active stayed ${active}`);
    await sleep(20);
  }
}

describe('herald_runs_active', () => {
  const hub = new Hub();
  const runs = new Runs(hub);
  const registry = new Registry();
  const metrics = registerHeraldMetrics({ registry, hub });
  const endpoint = metricsEndpoint('/metrics', registry);
  const server = http.createServer((req, res) =>
    endpoint(req, res, () => {
      res.statusCode = 404;
      res.end();
    }),
  );
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  });
  after(async () => {
    metrics.remove();
    await runs.close();
    await hub.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('counts runs while they produce, and 0 once they ended (done or cancelled)', async () => {
    assert.equal(value(await scrape(url), 'herald_runs_active'), 0, 'no run yet');
    const a = heldOpen();
    const b = heldOpen();
    await runs.start('a', a.source);
    await runs.start('b', b.source);
    assert.equal(value(await scrape(url), 'herald_runs_active'), 2);
    a.finish();
    await activeBecomes(url, 1, 'run a ended');
    assert.equal(await runs.cancel('b'), true);
    b.finish();
    await activeBecomes(url, 0, 'run b cancelled');
    // Ended runs are still retained (resumable), but no longer active.
    assert.deepEqual(runs.stats(), { active: 0, retained: 2 });
  });
});
