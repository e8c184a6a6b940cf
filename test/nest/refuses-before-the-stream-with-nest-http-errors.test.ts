import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NewsModule, setupNewsApp } from './support/news-app.js';
import { openStream } from './support/read-stream.js';
import { PLATFORMS, type StartedNest, startNest } from './support/start-nest.js';

for (const platform of PLATFORMS) {
  describe(`herald/nest on ${platform}: refusals answer JSON before any stream byte`, () => {
    let nest: StartedNest;
    before(async () => {
      nest = await startNest(NewsModule, platform, { setup: setupNewsApp });
    });
    after(() => nest.app.close());

    const refused = async (path: string, status: number, init = {}) => {
      const s = await openStream(`${nest.url}${path}`, init);
      assert.equal(s.status, status, `${path}: ${s.body}`);
      assert.match(s.headers.get('content-type') ?? '', /application\/json/);
      return { stream: s, body: JSON.parse(s.body!) };
    };

    it('answers 400 from ValidationPipe for a bad query DTO', async () => {
      const { body } = await refused('/news/topic', 400);
      assert.equal(body.statusCode, 400);
      assert.ok(
        body.message.some((m: string) => /topic/.test(m)),
        JSON.stringify(body),
      );
    });

    it('answers 400 for a bad POST stream body', async () => {
      const { body } = await refused('/news/ask', 400, { method: 'POST', body: { question: 7 } });
      assert.ok(body.message.some((m: string) => /question/.test(m)));
    });

    it('answers 403 from a guard', async () => {
      const { body } = await refused('/news/guarded', 403);
      assert.equal(body.message, 'Forbidden resource');
      const ok = await openStream(`${nest.url}/news/guarded`, { headers: { 'x-token': 'ok' } });
      assert.equal(ok.status, 200);
      ok.close();
    });

    it("answers 403 for a topic the hub's authorize hook refuses", async () => {
      const { body } = await refused('/news/topic?topic=secret', 403);
      assert.deepEqual(body, {
        statusCode: 403,
        message: 'not allowed to subscribe to "secret"',
        error: 'Forbidden',
      });
    });

    it('answers 400 for a topic the hub cannot take', async () => {
      const { body } = await refused(`/news/topic?topic=${'t'.repeat(300)}`, 400);
      assert.equal(body.statusCode, 400);
      assert.match(body.message, /topic/);
    });

    it('answers 429 with Retry-After past the per-address cap, and takes streams again after', async () => {
      const open = [];
      for (let i = 0; i < 40; i++) open.push(await openStream(`${nest.url}/news/stream`));
      assert.ok(open.every((s) => s.status === 200));
      const { stream, body } = await refused('/news/stream', 429);
      assert.equal(stream.headers.get('retry-after'), '7');
      assert.equal(body.statusCode, 429);
      for (const s of open) s.close();
      // Slots come back as the server sees each client leave.
      const again = await (async () => {
        for (let i = 0; i < 200; i++) {
          const s = await openStream(`${nest.url}/news/stream`);
          if (s.status === 200) return s;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error('no slot came back');
      })();
      again.close();
    });

    it('still wraps JSON replies in { data } (the global interceptor is active)', async () => {
      const res = await fetch(`${nest.url}/news/plain`);
      assert.deepEqual(await res.json(), { data: { ok: true } });
    });
  });
}
