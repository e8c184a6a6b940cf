import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp } from '../../examples/nest/create-app.js';
import { openStream } from './support/read-stream.js';
import { PLATFORMS } from './support/start-nest.js';

for (const platform of PLATFORMS) {
  describe(`examples/nest on ${platform}`, () => {
    it('streams published headlines, resumes after a cut, refuses a bad body, ends on close', async () => {
      const app = await createApp(platform);
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as { port: number };
      const url = `http://127.0.0.1:${port}`;
      const publish = async (body: unknown) => {
        const res = await fetch(`${url}/news`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as { id?: string } };
      };
      try {
        assert.equal((await publish({})).status, 400);
        const s = await openStream(`${url}/news/stream`);
        const first = await publish({ title: 'one' });
        assert.equal(first.status, 202);
        await s.until(() => s.events.length === 1, 'the headline');
        assert.deepEqual(s.events[0], {
          type: 'headline',
          data: '{"title":"one"}',
          id: first.body.id,
        });
        s.close();
        await publish({ title: 'two' });
        const resumed = await openStream(`${url}/news/stream`, { lastEventId: first.body.id! });
        await resumed.until(() => resumed.events.length === 1, 'the missed headline');
        assert.equal(resumed.events[0]!.data, '{"title":"two"}');
        await app.close();
        await resumed.until(resumed.ended, 'the stream ends on close');
        assert.ok((resumed.retry() ?? 0) >= 2000, 'with a retry hint');
      } finally {
        await app.close();
      }
    });
  });
}
