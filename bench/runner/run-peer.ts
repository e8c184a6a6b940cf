import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from '../options.js';
import { FLOOR, type Peer } from '../peers.js';
import { redisLatency, redisReachable, redisThroughput } from './redis-scenario.js';
import { redisSharded, type ShardedPoint } from './redis-sharded.js';
import {
  type CpuUse,
  cpuPerDelivery,
  idleMemory,
  type LatencyResult,
  latency,
  type MemoryPoint,
  type RunSettings,
  type ThroughputResult,
  throughput,
} from './scenarios.js';

/** A case that could not be measured, and why. */
export interface Failed {
  error: string;
}

/** Everything measured for one peer. */
export interface PeerResult {
  id: string;
  label: string;
  /** Set when the peer was not run at all (script absent, failed to start, out of budget). */
  skipped?: string;
  /** 1-minute load average when the peer started (2 cores: above ~2 means others compete). */
  loadAverage?: number;
  throughput: (ThroughputResult | Failed)[];
  latency?: LatencyResult | Failed;
  memory?: MemoryPoint[] | Failed;
  redis?: RedisPeerResult;
}

/** The cross-process cases through Redis (2 processes, publisher on one, clients on both). */
export interface RedisPeerResult {
  /** Set when Redis was unreachable and nothing ran. */
  skipped?: string;
  processes?: number;
  throughput?: ThroughputResult | Failed;
  latency?: LatencyResult | Failed;
  /**
   * The floor only: one process, no Redis, the same clients and rate. What this machine can do at
   * that load at all, to read the cross-process latency against.
   */
  reference?: LatencyResult | Failed;
  /** `--shards`: throughput at each shard count. */
  sharded?: ShardedPoint[] | Failed;
}

/** Where the compiled server script of `peer` lives. */
export function scriptOf(peer: Peer): string {
  return fileURLToPath(new URL(`../servers/${peer.script}`, import.meta.url));
}

const message = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
const isStartFailure = (error: unknown): boolean => /no ready line|exited \(/.test(message(error));

/**
 * Runs the chosen scenarios against one peer, each case on a fresh server. A peer whose script is
 * missing or whose server does not start is skipped as a whole; a case that fails is recorded and
 * the next one runs. `log` receives one line per case.
 */
export async function runPeer(
  peer: Peer,
  options: BenchOptions,
  deadline: number,
  log: (line: string) => void,
): Promise<PeerResult> {
  const result: PeerResult = { id: peer.id, label: peer.label, throughput: [] };
  const script = scriptOf(peer);
  if (!existsSync(script)) {
    result.skipped = `no server script (bench/servers/${peer.script.replace(/\.js$/, '.ts')})`;
    return result;
  }
  const settings: RunSettings = {
    size: options.size,
    batch: options.batch,
    perProcess: options.perProcess,
    connectTimeoutMs: 120_000,
  };
  if (peer.runtime !== undefined) settings.runtime = peer.runtime;
  if (options.profileDir !== undefined) {
    const dir = resolve(join(options.profileDir, peer.id));
    mkdirSync(dir, { recursive: true });
    settings.nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
  }
  const attempt = async <T>(name: string, run: () => Promise<T>): Promise<T | Failed | 'stop'> => {
    if (Date.now() > deadline) {
      log(`  ${name}: skipped, time budget spent`);
      return { error: 'time budget spent' };
    }
    try {
      return await run();
    } catch (error) {
      if (isStartFailure(error)) {
        result.skipped = `server failed to start: ${message(error)}`;
        return 'stop';
      }
      log(`  ${name}: failed: ${message(error)}`);
      return { error: message(error) };
    }
  };
  if (options.scenarios.includes('throughput')) {
    for (const [clients, events] of options.throughput) {
      const r = await attempt(`throughput ${clients}x${events}`, () =>
        throughput(script, clients, events, options.timeoutMs, settings),
      );
      if (r === 'stop') return result;
      result.throughput.push(r);
      if (!('error' in r)) {
        log(
          `  throughput ${clients}x${events}: ${fmtRate(r.deliveriesPerSec)}/s in ${r.seconds.toFixed(2)} s${r.complete ? '' : ` (incomplete: ${(r.delivered * 100).toFixed(1)}% delivered)`}${fmtCpu(r.cpu)}, ${cpuPerDelivery(r.cpu, r.delivered * clients * events).toFixed(3)} µs server CPU per delivery`,
        );
      }
    }
  }
  if (options.scenarios.includes('latency')) {
    const { clients, rate, seconds, slackMs, tailMs } = options.latency;
    const r = await attempt('latency', () =>
      latency(script, clients, rate, Math.round(rate * seconds), slackMs, tailMs, settings),
    );
    if (r === 'stop') return result;
    result.latency = r;
    if (!('error' in r)) {
      log(
        `  latency ${clients} clients @ ${rate}/s: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, ${r.keptUp ? 'kept up' : `fell behind (${(r.delivered * 100).toFixed(1)}% delivered, last at ${(r.finishedMs / 1000).toFixed(1)} s)`}${fmtCpu(r.cpu)}`,
      );
    }
  }
  if (options.scenarios.includes('memory')) {
    const r = await attempt('memory', () => idleMemory(script, options.memory, settings));
    if (r === 'stop') return result;
    result.memory = r;
    if (!('error' in r)) {
      for (const p of r) {
        log(
          `  idle memory @ ${p.connections}: ${(p.rssPerConnection / 1024).toFixed(1)} KB rss, ${(p.heapPerConnection / 1024).toFixed(1)} KB heap per connection`,
        );
      }
    }
  }
  if (options.scenarios.includes('redis') && peer.id === FLOOR) {
    const { clients, rate, seconds, slackMs, tailMs } = options.redis;
    const r = await attempt('redis reference', () =>
      latency(script, clients, rate, Math.round(rate * seconds), slackMs, tailMs, settings),
    );
    if (r === 'stop') return result;
    result.redis = { reference: r };
    if (!('error' in r)) {
      log(
        `  reference for redis, ${clients} clients @ ${rate}/s, 1 process: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms, ${r.keptUp ? 'kept up' : `fell behind (${(r.delivered * 100).toFixed(1)}% delivered, last at ${(r.finishedMs / 1000).toFixed(1)} s)`}${fmtCpu(r.cpu)}`,
      );
    }
  }
  if (options.scenarios.includes('redis') && peer.redis === true && options.redis.shards) {
    // The sharded case replaces the two-process ones: throughput at each shard count.
    const c = options.redis;
    if (c.cluster === undefined && !(await redisReachable(c.url))) {
      result.redis = { skipped: `Redis unreachable at ${c.url}` };
      log(`  redis: skipped, Redis unreachable at ${c.url}`);
      return result;
    }
    result.redis = { processes: c.processes };
    const points = await attempt('redis sharded', () => redisSharded(script, c, settings, log));
    if (points === 'stop') return result;
    result.redis.sharded = points;
    return result;
  }
  if (options.scenarios.includes('redis') && peer.redis === true) {
    const c = options.redis;
    if (!(await redisReachable(c.url))) {
      result.redis = { skipped: `Redis unreachable at ${c.url}` };
      log(`  redis: skipped, Redis unreachable at ${c.url}`);
      return result;
    }
    result.redis = { processes: 2 };
    const t = await attempt(`redis throughput ${c.clients}x${c.events}`, () =>
      redisThroughput(script, c, settings),
    );
    if (t === 'stop') return result;
    result.redis.throughput = t;
    if (!('error' in t)) {
      log(
        `  redis throughput ${c.clients}x${c.events}, 2 processes: ${fmtRate(t.deliveriesPerSec)}/s in ${t.seconds.toFixed(2)} s${t.complete ? '' : ` (incomplete: ${(t.delivered * 100).toFixed(1)}% delivered)`}${fmtCpu(t.cpu)}, ${cpuPerDelivery(t.cpu, t.delivered * c.clients * c.events).toFixed(3)} µs server CPU per delivery`,
      );
    }
    const l = await attempt('redis latency', () => redisLatency(script, c, settings));
    if (l === 'stop') return result;
    result.redis.latency = l;
    if (!('error' in l)) {
      log(
        `  redis latency ${c.clients} clients @ ${c.rate}/s, 2 processes: p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(1)} ms, ${l.keptUp ? 'kept up' : `fell behind (${(l.delivered * 100).toFixed(1)}% delivered, last at ${(l.finishedMs / 1000).toFixed(1)} s)`}${fmtCpu(l.cpu)}`,
      );
    }
  }
  return result;
}

/** `; cpu: server 0.97, load 0.62` (cores used during the case, per process). */
function fmtCpu(cpu: CpuUse): string {
  const cores = (list: number[]): string => list.map((c) => c.toFixed(2)).join(' + ');
  return `; cpu: server ${cores(cpu.servers)}, load ${cores(cpu.load)}`;
}

/** Deliveries per second, short: 3.9M, 680k. */
export function fmtRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return 'n/a';
  return perSec >= 1e6 ? `${(perSec / 1e6).toFixed(2)}M` : `${(perSec / 1e3).toFixed(1)}k`;
}
