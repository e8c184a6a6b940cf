import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PEERS } from '../../bench/peers.js';
import { scriptOf } from '../../bench/runner/run-peer.js';
import { type RunSettings, throughput } from '../../bench/runner/scenarios.js';

const settings: RunSettings = { size: 64, batch: 16, perProcess: 10_000, connectTimeoutMs: 10_000 };

describe('the herald/nest bench peers', () => {
  for (const id of ['herald-nest-express', 'herald-nest-fastify']) {
    it(`${id} delivers every event to every client (50 clients x 100 events)`, async () => {
      const peer = PEERS.find((p) => p.id === id);
      assert.ok(peer, `${id} is registered`);
      const r = await throughput(scriptOf(peer), 50, 100, 10_000, settings);
      assert.equal(r.complete, true);
      assert.equal(r.delivered, 1);
      assert.equal(r.excess, 0);
    });
  }
});
