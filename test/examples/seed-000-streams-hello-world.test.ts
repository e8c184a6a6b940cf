import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collect } from '../support/event-source.js';
import { startSeed } from './load-seed.js';

describe('seed 000: the NestJS @Sse guide on Herald', () => {
  it('streams { hello: "world" } every second to a real EventSource', async () => {
    const { app, url } = await startSeed('seed-000-nestjs-sse');
    try {
      const started = Date.now();
      const got = await collect(`${url}/sse`, 2, [], 30_000);
      assert.deepEqual(
        got.map((e) => [e.type, e.data]),
        [
          ['message', '{"hello":"world"}'],
          ['message', '{"hello":"world"}'],
        ],
      );
      // interval(1000): the second event comes about two seconds after connecting, not at once.
      assert.ok(Date.now() - started >= 1900, `two events after ${Date.now() - started} ms`);
    } finally {
      await app.close();
    }
  });
});
