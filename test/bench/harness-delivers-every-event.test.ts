import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PEERS } from '../../bench/peers.js';
import { scriptOf } from '../../bench/runner/run-peer.js';
import { latency, type RunSettings, throughput } from '../../bench/runner/scenarios.js';

const settings: RunSettings = { size: 64, batch: 16, perProcess: 10_000, connectTimeoutMs: 10_000 };
const peer = (id: string) => PEERS.find((p) => p.id === id)!;

describe('the bench harness', () => {
  for (const id of ['raw-net', 'raw-http']) {
    it(`counts every event on every client of ${id} (50 clients x 100 events)`, async () => {
      const r = await throughput(scriptOf(peer(id)), 50, 100, 60_000, settings);
      assert.equal(r.complete, true);
      assert.equal(r.delivered, 1);
      assert.equal(r.excess, 0);
      assert.ok(r.deliveriesPerSec > 0);
      assert.ok(Number.isFinite(r.p50), 'sampled connections read publish timestamps');
    });
  }

  it('samples latency at a fixed rate and reports whether the server kept up', async () => {
    // Slack and tail are generous: keeping up means every event arrived, on a busy machine too.
    const r = await latency(scriptOf(peer('raw-net')), 20, 200, 40, 10_000, 20_000, settings);
    assert.equal(r.keptUp, true);
    assert.equal(r.delivered, 1);
    // 16 sampled connections, every event sampled.
    assert.equal(r.samples, 16 * 40);
    assert.ok(r.p50 >= 0 && r.p99 >= r.p50 && r.max >= r.p99);
    // 40 events at 200/s take about 195 ms to publish.
    assert.ok(r.finishedMs >= 150, `finished after ${r.finishedMs} ms`);
  });
});
