import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startServer } from './support/runtime-server.js';
import { openStream } from './support/sse-stream.js';

// examples/fetch: one Hono app, started by each runtime's own server.
describe('the examples/fetch app', { concurrency: true }, () => {
  for (const runtime of ['node', 'bun', 'deno'] as const) {
    it(`streams, publishes and refuses on ${runtime}`, async () => {
      const server = await startServer(runtime, '../../../examples/fetch/main.js', { PORT: '0' });
      try {
        const stream = await openStream(`${server.url}/news`);
        assert.equal(stream.status, 200);
        const res = await fetch(`${server.url}/news`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ title: `hello from ${runtime}` }),
        });
        const { id } = (await res.json()) as { id: string };
        const [event] = await stream.take(1);
        assert.deepEqual(event, {
          id,
          event: 'headline',
          data: JSON.stringify({ title: `hello from ${runtime}` }),
        });
        stream.close();
        const refused = await fetch(`${server.url}/news/staff`);
        assert.equal(refused.status, 403);
        assert.equal(((await refused.json()) as { error: string }).error, 'Forbidden');
      } finally {
        await server.stop();
      }
    });
  }
});
