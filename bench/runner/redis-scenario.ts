import { LoadPool } from './load-pool.js';
import { percentile } from './percentile.js';
import { redisCommand } from './redis-command.js';
import type { LatencyResult, RunSettings, ThroughputResult } from './scenarios.js';
import { deliverMeasured, subscribe } from './scenarios.js';
import { ServerProcess } from './server-process.js';

/** The cross-process cases: where Redis is, how many clients, the fixed rate and the burst size. */
export interface RedisCase {
  url: string;
  /**
   * `host:port,...` of a Redis Cluster (`--redis-cluster`; `start` has the bench start a local
   * 6-node one), passed to the servers as HERALD_REDIS_CLUSTER.
   */
  cluster?: string | undefined;
  /** Shard counts to measure in turn (`--shards 1,3,6`), passed as HERALD_REDIS_SHARDS. */
  shards?: number[] | undefined;
  /** Herald processes (2 by default, `--redis-processes`). */
  processes: number;
  /**
   * Topics every client subscribes to and the publisher cycles through (`--redis-topics`; 12 when
   * sharded, so the events spread over the shards, else 1).
   */
  topics: number;
  clients: number;
  /** Events published as fast as possible, for throughput. */
  events: number;
  /** Events per second and seconds of publishing, for latency. */
  rate: number;
  seconds: number;
  slackMs: number;
  tailMs: number;
  timeoutMs: number;
}

let runs = 0;

/** Where one measurement's servers find Redis: a URL, or a cluster and a shard count. */
export interface RedisTarget {
  url: string;
  cluster?: string | undefined;
  shards?: number | undefined;
  processes: number;
  topics: number;
}

/** Whether Redis answers PING at `url` (the scenario is skipped when it does not). */
export async function redisReachable(url: string): Promise<boolean> {
  return (await redisCommand(url, ['PING'])) === '+PONG';
}

/**
 * Starts `processes` copies of `script` on one Redis log (a prefix unique to this call), connects
 * `clients` split evenly across them (8 sampled on each), runs `body` with both servers (the
 * first one publishes), then stops everything and deletes the log.
 */
async function withCluster<T>(
  script: string,
  target: RedisTarget,
  clients: number,
  sampleEvery: number,
  settings: RunSettings,
  body: (servers: ServerProcess[], pool: LoadPool) => Promise<T>,
): Promise<T> {
  const prefix = `herald-bench-${process.pid}-${Date.now()}-${runs++}`;
  const { url, processes } = target;
  const env: Record<string, string> = {
    BENCH_REDIS_URL: url,
    BENCH_REDIS_PREFIX: prefix,
    BENCH_TOPICS: String(target.topics),
  };
  if (target.cluster !== undefined) env.BENCH_REDIS_CLUSTER = target.cluster;
  if (target.shards !== undefined) env.BENCH_REDIS_SHARDS = String(target.shards);
  const launch = { nodeArgs: settings.nodeArgs ?? [], env };
  const servers: ServerProcess[] = [];
  const pool = new LoadPool(LoadPool.sizeFor(clients, settings.perProcess));
  try {
    for (let i = 0; i < processes; i++) servers.push(await ServerProcess.start(script, launch));
    for (const [i, server] of servers.entries()) {
      const share = Math.floor(clients / processes) + (i < clients % processes ? 1 : 0);
      await subscribe(server, pool, share, share, settings, 8, sampleEvery);
    }
    return await body(servers, pool);
  } finally {
    await pool.close();
    await Promise.all(servers.map((s) => s.stop()));
    // A bench cluster is thrown away whole; on one server the (unsharded) log is deleted.
    if (target.cluster === undefined) await redisCommand(url, ['DEL', `${prefix}:log`]);
  }
}

/** Throughput across processes: `events` published as fast as the publisher can XADD them. */
export function redisThroughput(
  script: string,
  c: RedisCase,
  settings: RunSettings,
  target: RedisTarget = { url: c.url, processes: c.processes, topics: c.topics },
): Promise<ThroughputResult> {
  const sampleEvery = Math.max(1, Math.floor(c.events / 50));
  return withCluster(script, target, c.clients, sampleEvery, settings, async (servers, pool) => {
    const result = await deliverMeasured(servers, pool, c.events, c.timeoutMs, () =>
      servers[0]!.publish(c.events, 0, settings.size, settings.batch),
    );
    const seconds = (result.lastAt - result.start) / 1000;
    return {
      clients: c.clients,
      events: c.events,
      deliveriesPerSec: result.delivered / seconds,
      seconds,
      delivered: result.delivered / (c.clients * c.events),
      complete: result.complete === c.clients,
      excess: result.excess,
      p50: percentile(result.samples, 50),
      p99: percentile(result.samples, 99),
      cpu: result.cpu,
    };
  });
}

/** Publish-to-receive latency across processes at `rate` events/s (every event sampled). */
export function redisLatency(
  script: string,
  c: RedisCase,
  settings: RunSettings,
): Promise<LatencyResult> {
  const events = Math.round(c.rate * c.seconds);
  const target = { url: c.url, processes: c.processes, topics: c.topics };
  return withCluster(script, target, c.clients, 1, settings, async (servers, pool) => {
    const windowMs = ((events - 1) / c.rate) * 1000;
    const result = await deliverMeasured(servers, pool, events, windowMs + c.tailMs, () =>
      servers[0]!.publish(events, c.rate, settings.size, settings.batch),
    );
    const finishedMs = result.lastAt - result.start;
    const complete = result.complete === c.clients;
    return {
      clients: c.clients,
      rate: c.rate,
      events,
      p50: percentile(result.samples, 50),
      p99: percentile(result.samples, 99),
      max: percentile(result.samples, 100),
      samples: result.samples.length,
      keptUp: complete && finishedMs <= windowMs + c.slackMs,
      finishedMs,
      delivered: result.delivered / (c.clients * events),
      cpu: result.cpu,
    };
  });
}
