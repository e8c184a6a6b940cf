import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoBroker } from '../../examples/demo/demo-module.js';

describe("the demo's hub broker", () => {
  it('is in memory without HERALD_REDIS_URL', () => {
    assert.equal(demoBroker({}), undefined);
  });

  it('keeps its log under its own prefix, not the default `herald` other apps share', () => {
    const url = 'redis://127.0.0.1:6379';
    assert.equal(demoBroker({ HERALD_REDIS_URL: url })?.key, 'herald-demo:log');
    const own = demoBroker({ HERALD_REDIS_URL: url, HERALD_REDIS_PREFIX: 'shop-demo' });
    assert.equal(own?.key, 'shop-demo:log');
  });
});
