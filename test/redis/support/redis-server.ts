import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** True when a `redis-server` binary is on the PATH. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A one-shot connection that answers whether Redis at `url` replies to PING. */
export async function pings(url: string): Promise<boolean> {
  const conn = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  conn.on('error', () => {});
  try {
    await conn.connect();
    return (await conn.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    conn.disconnect();
  }
}

/**
 * A redis-server this test owns, on its own port. By default it persists nothing (a restart comes
 * back empty); with `dir` it keeps its snapshot there, written only by an explicit `SAVE`, and a
 * restart loads the last one (Redis restored from an older snapshot).
 */
export class RedisServer {
  readonly port: number;
  #dir: string | undefined;
  #args: readonly string[];
  #child: ChildProcess | undefined;

  private constructor(port: number, dir: string | undefined, args: readonly string[]) {
    this.port = port;
    this.#dir = dir;
    this.#args = args;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** `args`: more redis-server arguments (for example `--replicaof 127.0.0.1 <port>`). */
  static async start(
    options: { dir?: string; args?: readonly string[] } = {},
  ): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options.dir, options.args ?? []);
    await server.restart();
    return server;
  }

  /** Starts (again) on the same port and resolves once it answers. */
  async restart(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      ...(this.#dir === undefined ? [] : ['--dir', this.#dir, '--dbfilename', 'dump.rdb']),
      ...this.#args,
    ];
    this.#child = spawn('redis-server', args, { stdio: 'ignore' });
    const end = Date.now() + 30_000;
    while (!(await pings(this.url))) {
      if (Date.now() > end) throw new Error(`redis-server did not start on port ${this.port}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** SIGKILL: no shutdown, no goodbye to clients. Resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

/** Where the Redis tests run, or why they are skipped. */
export interface TestRedis {
  url: string;
  /** A reason to skip, when there is no Redis at all. */
  skip: string | false;
  /** Stops a redis-server started for this file (none when REDIS_URL answered). */
  stop(): Promise<void>;
}

/**
 * `REDIS_URL` (default redis://127.0.0.1:6379) when it answers; else a private redis-server when
 * the binary is installed; else a skip reason.
 */
export async function testRedis(): Promise<TestRedis> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (await pings(url)) return { url, skip: false, stop: async () => {} };
  if (hasRedisServer()) {
    const server = await RedisServer.start();
    return { url: server.url, skip: false, stop: () => server.kill() };
  }
  return {
    url,
    skip: `no Redis at ${url} and no redis-server installed: Redis tests skipped`,
    stop: async () => {},
  };
}

/**
 * A redis-server of this file's own when the binary is installed (else `testRedis()`), for tests
 * that watch everything Redis runs (MONITOR): another test run sharing the machine's Redis would
 * show up in what they count, and its traffic races ioredis's switch into monitor mode.
 */
export async function privateRedis(): Promise<TestRedis> {
  if (!hasRedisServer()) return testRedis();
  const server = await RedisServer.start();
  return { url: server.url, skip: false, stop: () => server.kill() };
}

/** A key prefix no other test (or run) uses. */
export function uniquePrefix(name: string): string {
  return `herald-test:${name}:${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under `prefix`. */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const conn = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  conn.on('error', () => {});
  try {
    const keys = await conn.keys(`${prefix}:*`);
    if (keys.length > 0) await conn.del(...keys);
  } finally {
    conn.disconnect();
  }
}
