import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startFixture } from '../redis/support/cluster.js';
import { pings } from '../redis/support/redis-server.js';
import { openStream } from './support/read-stream.js';

const REDIS = 'redis://127.0.0.1:6379';
const FIXTURE = fileURLToPath(new URL('./fixtures/nest-redis-node.js', import.meta.url));
const available = await pings(REDIS);

/** Starts one Nest process; resolves with its URL once its hub reads the shared log. */
async function startProcess(
  platform: string,
  prefix: string,
): Promise<{ url: string; child: ChildProcess }> {
  return startFixture(FIXTURE, { REDIS_URL: REDIS, HERALD_PREFIX: prefix, PLATFORM: platform });
}

async function publish(url: string, title: string): Promise<void> {
  const res = await fetch(`${url}/news`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  assert.equal(res.status, 202);
  await res.body?.cancel();
}

describe('two NestJS processes (Express and Fastify) on one Redis log', {
  skip: available ? false : `no Redis at ${REDIS}`,
}, () => {
  const children: ChildProcess[] = [];
  const prefix = `herald-nest-test-${randomBytes(6).toString('hex')}`;
  after(async () => {
    const exits = children.map((c) => {
      if (c.exitCode !== null) return Promise.resolve();
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      return exited;
    });
    await Promise.all(exits);
    const redis = new Redis(REDIS);
    await redis.del(`${prefix}:log`);
    redis.disconnect();
  });

  it('a client cut from one resumes on the other with every event once, in order', async () => {
    const a = await startProcess('express', prefix);
    children.push(a.child);
    const b = await startProcess('fastify', prefix);
    children.push(b.child);
    const titles = Array.from({ length: 20 }, (_, i) => `t${i}`);
    const first = await openStream(`${a.url}/news/stream`);
    assert.equal(first.status, 200);
    // Published on B, read on A: the log is shared.
    for (const title of titles.slice(0, 10)) await publish(b.url, title);
    await first.until(() => first.events.length >= 5, 'five events on A');
    first.close();
    const seen = [...first.events];
    for (const title of titles.slice(10)) await publish(a.url, title);
    const second = await openStream(`${b.url}/news/stream`, { lastEventId: seen.at(-1)!.id! });
    await second.until(() => seen.length + second.events.length >= titles.length, 'the rest on B');
    // Let a stray duplicate arrive before asserting none did.
    await new Promise((r) => setTimeout(r, 100));
    const all = [...seen, ...second.events].map((e) => JSON.parse(e.data).title);
    assert.deepEqual(all, titles);
    second.close();
  });
});
