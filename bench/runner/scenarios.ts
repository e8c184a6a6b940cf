import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Delivery, LoadPool } from './load-pool.js';
import { percentile } from './percentile.js';
import { ServerProcess } from './server-process.js';

/** Settings shared by every scenario. */
export interface RunSettings {
  /** Event data bytes. */
  size: number;
  /** Events per event-loop turn when publishing as fast as possible. */
  batch: number;
  /** Most sockets one load generator process may hold (open-files limit is per process). */
  perProcess: number;
  /** How long connecting may take, ms. */
  connectTimeoutMs: number;
  /** Extra node flags for every server process (e.g. `--cpu-prof`). */
  nodeArgs?: readonly string[];
  /** The runtime of the peer's server (default Node). */
  runtime?: 'node' | 'bun';
}

/**
 * CPU used during a case, in cores (1.0 = one core busy the whole case): each server process and
 * each load generator process. On 2 cores, a sum near 2 means the case measured the machine.
 */
export interface CpuUse {
  servers: number[];
  load: number[];
  /** The window those shares are of, ms. */
  wallMs: number;
}

/**
 * Server CPU time per delivery, µs (every server process summed). Unlike deliveries/s it hardly
 * moves when other work on the machine takes CPU away, so it compares peers on a busy machine.
 */
export function cpuPerDelivery(cpu: CpuUse, deliveries: number): number {
  const serverMs = cpu.servers.reduce((sum, cores) => sum + cores * cpu.wallMs, 0);
  return (serverMs * 1000) / deliveries;
}

/** Throughput: `clients` x `events` published as fast as the server can. */
export interface ThroughputResult {
  clients: number;
  events: number;
  deliveriesPerSec: number;
  seconds: number;
  /** Share of the `clients x events` deliveries that arrived before the timeout. */
  delivered: number;
  complete: boolean;
  excess: number;
  /** Publish-to-receive latency of sampled events during the burst (queueing included), ms. */
  p50: number;
  p99: number;
  cpu: CpuUse;
}

/** Latency at a fixed rate. */
export interface LatencyResult {
  clients: number;
  rate: number;
  events: number;
  p50: number;
  p99: number;
  max: number;
  samples: number;
  /** Every client got every event within the publishing window plus the slack. */
  keptUp: boolean;
  /** When the last client got the last event, ms after publishing started (or the timeout). */
  finishedMs: number;
  delivered: number;
  cpu: CpuUse;
}

/** Idle memory per connection at one connection count. */
export interface MemoryPoint {
  connections: number;
  rssPerConnection: number;
  heapPerConnection: number;
}

const SETTLE_MS = 300;
const now = (): number => performance.timeOrigin + performance.now();

/**
 * Runs `pool.deliver(events, timeoutMs, publish)` and measures the CPU every server and every load
 * generator used meanwhile. `publish` gets the absolute time it started at.
 */
export async function deliverMeasured(
  servers: readonly ServerProcess[],
  pool: LoadPool,
  events: number,
  timeoutMs: number,
  publish: () => Promise<void>,
): Promise<Delivery & { start: number; cpu: CpuUse }> {
  const before = await Promise.all(servers.map((s) => s.stats()));
  const from = now();
  let start = 0;
  const delivery = await pool.deliver(events, timeoutMs, () => {
    start = now();
    return publish();
  });
  const after = await Promise.all(servers.map((s) => s.stats()));
  const wall = now() - from;
  return {
    ...delivery,
    start,
    cpu: {
      servers: after.map((a, i) => (a.cpuMs - before[i]!.cpuMs) / wall),
      load: delivery.cpuMs.map((ms) => ms / wall),
      wallMs: wall,
    },
  };
}

/** Starts `script` and a load pool sized for `connections`, runs `body`, always cleans both up. */
async function withServer<T>(
  script: string,
  connections: number,
  settings: RunSettings,
  body: (server: ServerProcess, pool: LoadPool) => Promise<T>,
): Promise<T> {
  const server = await ServerProcess.start(script, {
    nodeArgs: settings.nodeArgs ?? [],
    ...(settings.runtime === undefined ? {} : { runtime: settings.runtime }),
  });
  const pool = new LoadPool(LoadPool.sizeFor(connections, settings.perProcess));
  try {
    return await body(server, pool);
  } finally {
    await pool.close();
    await server.stop();
  }
}

/**
 * Opens `count` more connections to `server` and checks the server counts `expected` in all
 * (connections the pool holds to other servers are not counted there).
 */
export async function subscribe(
  server: ServerProcess,
  pool: LoadPool,
  count: number,
  expected: number,
  settings: RunSettings,
  sampled = 0,
  sampleEvery = 1,
): Promise<void> {
  const { subscribed, failed } = await pool.connect(
    server.port,
    count,
    sampled,
    sampleEvery,
    settings.connectTimeoutMs,
  );
  if (subscribed < count) throw new Error(`${subscribed}/${count} subscribed (${failed} failed)`);
  const seen = await server.waitForClients(expected, 15_000);
  if (seen !== expected) throw new Error(`server counts ${seen} clients, expected ${expected}`);
  // Lets preambles (an initial `retry:`, a comment) arrive before the baseline is taken.
  await sleep(SETTLE_MS);
}

/** Publishes `events` as fast as possible to `clients` and measures deliveries per second. */
export function throughput(
  script: string,
  clients: number,
  events: number,
  timeoutMs: number,
  settings: RunSettings,
): Promise<ThroughputResult> {
  return withServer(script, clients, settings, async (server, pool) => {
    const sampleEvery = Math.max(1, Math.floor(events / 50));
    await subscribe(server, pool, clients, clients, settings, 8, sampleEvery);
    const result = await deliverMeasured([server], pool, events, timeoutMs, () =>
      server.publish(events, 0, settings.size, settings.batch),
    );
    const seconds = (result.lastAt - result.start) / 1000;
    return {
      clients,
      events,
      deliveriesPerSec: result.delivered / seconds,
      seconds,
      delivered: result.delivered / (clients * events),
      complete: result.complete === clients,
      excess: result.excess,
      p50: percentile(result.samples, 50),
      p99: percentile(result.samples, 99),
      cpu: result.cpu,
    };
  });
}

/** Publishes at `rate` events/s for `events` events and measures publish-to-receive latency. */
export function latency(
  script: string,
  clients: number,
  rate: number,
  events: number,
  slackMs: number,
  tailMs: number,
  settings: RunSettings,
): Promise<LatencyResult> {
  return withServer(script, clients, settings, async (server, pool) => {
    await subscribe(server, pool, clients, clients, settings, 16, 1);
    const windowMs = ((events - 1) / rate) * 1000;
    const result = await deliverMeasured([server], pool, events, windowMs + tailMs, () =>
      server.publish(events, rate, settings.size, settings.batch),
    );
    const finishedMs = result.lastAt - result.start;
    const complete = result.complete === clients;
    return {
      clients,
      rate,
      events,
      p50: percentile(result.samples, 50),
      p99: percentile(result.samples, 99),
      max: percentile(result.samples, 100),
      samples: result.samples.length,
      keptUp: complete && finishedMs <= windowMs + slackMs,
      finishedMs,
      delivered: result.delivered / (clients * events),
      cpu: result.cpu,
    };
  });
}

/** Measures rss and heap growth per idle connection at each of `levels` (ascending). */
export function idleMemory(
  script: string,
  levels: readonly number[],
  settings: RunSettings,
): Promise<MemoryPoint[]> {
  const top = Math.max(...levels);
  return withServer(script, top, settings, async (server, pool) => {
    const base = await server.stats(true);
    const points: MemoryPoint[] = [];
    let open = 0;
    for (const level of levels) {
      await subscribe(server, pool, level - open, level, settings);
      open = level;
      const stats = await server.stats(true);
      points.push({
        connections: level,
        rssPerConnection: (stats.rss - base.rss) / level,
        heapPerConnection: (stats.heapUsed - base.heapUsed) / level,
      });
    }
    return points;
  });
}
