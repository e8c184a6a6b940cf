import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import { openStream } from './support/read-stream.js';
import { PLATFORMS, type Platform } from './support/start-nest.js';

/**
 * Starts a seed of examples/seeds/nest on `platform`. The specifier is computed: the seeds compile
 * under their own NestJS-starter tsconfig, not the strict test build.
 */
async function startSeed(name: string, platform: Platform) {
  const href = new URL(`../../examples/seeds/nest/${name}.js`, import.meta.url).href;
  const seed = (await import(href)) as {
    bootstrap(platform: Platform, port: number): Promise<INestApplication>;
  };
  const app = await seed.bootstrap(platform, 0);
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

for (const platform of PLATFORMS) {
  describe(`the seeds in a NestJS 12 app on ${platform}, with Sse from herald/nest`, () => {
    it('seed 000 streams { hello: "world" } every second', async () => {
      const { app, url } = await startSeed('seed-000-nestjs-sse', platform);
      try {
        const s = await openStream(`${url}/sse`);
        await s.until(() => s.events.length >= 2, 'two events');
        assert.deepEqual(
          s.events.slice(0, 2).map((e) => e.data),
          ['{"hello":"world"}', '{"hello":"world"}'],
        );
        s.close();
      } finally {
        await app.close();
      }
    });

    it('seed 001 sends each verify event only to its e-mail, and 400s a bad one', async () => {
      const { app, url } = await startSeed('seed-001-filter-by-email', platform);
      try {
        const bad = await openStream(`${url}/sse?email=nope`);
        assert.equal(bad.status, 400);
        assert.deepEqual(JSON.parse(bad.body!).message, ['email must be an email']);
        const ada = await openStream(`${url}/sse?email=ada@example.com`);
        const bob = await openStream(`${url}/sse?email=bob@example.com`);
        for (const email of ['bob@example.com', 'ada@example.com', 'carol@example.com']) {
          const res = await fetch(`${url}/verify`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email }),
          });
          assert.equal(res.status, 202);
        }
        await ada.until(() => ada.events.length === 1 && bob.events.length === 1, 'one each');
        await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(
          ada.events.map((e) => e.data),
          ['{"isVerifiedFilter":true}'],
        );
        assert.deepEqual(
          bob.events.map((e) => e.data),
          ['{"isVerifiedFilter":true}'],
        );
        ada.close();
        bob.close();
      } finally {
        await app.close();
      }
    });

    it('seed 002 streams four hello events and a close event from an EventTarget', async () => {
      const { app, url } = await startSeed('seed-002-danet-sse', platform);
      try {
        const s = await openStream(`${url}/sse`);
        await s.until(s.ended, 'the stream ends after close');
        assert.deepEqual(
          s.events.map((e) => [e.type, e.data, e.id]),
          [
            ['hello', 'world', '0'],
            ['hello', 'world', '1'],
            ['hello', 'world', '2'],
            ['hello', 'world', '3'],
            ['close', 'close', '4'],
          ],
        );
        assert.equal(s.retry(), 1000);
      } finally {
        await app.close();
      }
    });

    it('seed 003 streams counts, typed notifications and task progress', async () => {
      const { app, url } = await startSeed('seed-003-progress-and-notifications', platform);
      try {
        const notes = await openStream(`${url}/notifications`);
        await notes.until(notes.ended, 'three notifications, then the end');
        assert.deepEqual(
          notes.events.map((e) => [e.type, e.id]),
          [
            ['message', '1'],
            ['alert', '2'],
            ['update', '3'],
          ],
        );
        assert.equal(notes.retry(), 30000);
        const counts = await openStream(`${url}/events`);
        await counts.until(() => counts.events.length >= 1, 'a count');
        assert.equal(JSON.parse(counts.events[0]!.data).count, 0);
        counts.close();
        const task = await fetch(`${url}/tasks`, { method: 'POST' });
        const { id } = (await task.json()) as { id: string };
        const progress = await openStream(`${url}/tasks/${id}/progress`);
        await progress.until(() => progress.events.length >= 1, 'progress');
        assert.deepEqual(JSON.parse(progress.events[0]!.data), { taskId: id, progress: 10 });
        progress.close();
      } finally {
        await app.close();
      }
    });
  });
}
