import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EventSource } from 'eventsource';
import { Redis } from 'ioredis';

const REDIS_URL = 'redis://127.0.0.1:6379';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PROCESSES = 3;

/** Whether something listens on Redis's port (the test skips with a message otherwise). */
function redisListens(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(6379, '127.0.0.1');
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(5000);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });

/** The first of `count` consecutive free ports. */
async function freePorts(count: number): Promise<number> {
  for (;;) {
    const first = 20_000 + Math.floor(Math.random() * 30_000);
    let free = true;
    for (let i = 0; i < count && free; i++) free = await portFree(first + i);
    if (free) return first;
  }
}

const redis = (await redisListens())
  ? false
  : `no Redis at ${REDIS_URL} (apt-get install redis-server; .ci/run installs it)`;
if (redis) console.log(`# ${redis}`);

describe('scripts/cluster.mjs: three demo processes on one Redis', { skip: redis }, () => {
  // A prefix of its own, so the test shares no log with a demo running on the same Redis.
  const prefix = `herald-demo-test-${process.pid}-${Date.now()}`;
  let cluster: ChildProcess;
  let firstPort: number;
  before(async () => {
    firstPort = await freePorts(PROCESSES);
    cluster = spawn(
      process.execPath,
      ['scripts/cluster.mjs', String(PROCESSES), String(firstPort)],
      {
        cwd: ROOT,
        env: { ...process.env, HERALD_REDIS_URL: REDIS_URL, HERALD_REDIS_PREFIX: prefix },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    // Each process prints its URL once it listens.
    const listening = new Set<string>();
    const lines = createInterface({ input: cluster.stdout! });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the cluster did not start')), 60_000);
      lines.on('line', (line) => {
        if (/Herald demo: http/.test(line)) listening.add(line.slice(0, line.indexOf(']')));
        if (listening.size === PROCESSES) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  });
  after(async () => {
    if (cluster && cluster.exitCode === null) {
      cluster.kill('SIGTERM');
      await once(cluster, 'exit');
    }
    const client = new Redis(REDIS_URL, { lazyConnect: true });
    await client.connect();
    await client.del(`${prefix}:log`);
    client.disconnect();
  });

  it('sends each notification once, whichever process a client is on', async () => {
    // The last process, which is not the one that publishes.
    const es = new EventSource(`http://127.0.0.1:${firstPort + PROCESSES - 1}/notifications`);
    const ns: number[] = [];
    const ids: string[] = [];
    const on = (e: MessageEvent) => {
      ns.push(JSON.parse(e.data).n);
      ids.push(e.lastEventId);
    };
    for (const type of ['message', 'update', 'alert']) es.addEventListener(type, on);
    try {
      // Notifications come every 2 s: wait for four, or a generous while.
      for (let waited = 0; ns.length < 4 && waited < 60_000; waited += 100) {
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      es.close();
    }
    assert.ok(ns.length >= 4, `received ${ns.length}`);
    assert.equal(new Set(ns).size, ns.length, `copies of one notification: n = ${ns.join(', ')}`);
    assert.deepEqual(
      ns,
      ns.map((_, i) => ns[0]! + i),
    );
    assert.equal(new Set(ids).size, ids.length);
    // The log is under the test's prefix: the demo passes HERALD_REDIS_PREFIX on.
    const client = new Redis(REDIS_URL, { lazyConnect: true });
    await client.connect();
    try {
      assert.equal(await client.exists(`${prefix}:log`), 1);
    } finally {
      client.disconnect();
    }
  });
});
