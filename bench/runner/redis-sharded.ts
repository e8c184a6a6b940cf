import { readFileSync } from 'node:fs';
import { TestCluster } from '../../test/redis/support/redis-cluster.js';
import { type RedisCase, redisThroughput } from './redis-scenario.js';
import type { RunSettings, ThroughputResult } from './scenarios.js';

/** One shard count of the sharded case. */
export interface ShardedPoint {
  shards: number;
  /** Events published and delivered to every client, per second, end to end. */
  eventsPerSec: number;
  throughput: ThroughputResult;
  /** Cores the Redis servers used over the measurement (each node; only for a bench cluster). */
  redisCpu?: number[];
}

/**
 * Throughput through a sharded log at each of `c.shards`: `c.processes` Herald processes, the
 * first publishing over `c.topics` topics, every client subscribed to all of them (so each gets
 * every event, whatever the shard). `c.cluster` names a Redis Cluster, or `start` starts a local
 * 6-node one (3 masters) for the case and stops it after; without it the shards share `c.url`.
 */
export async function redisSharded(
  script: string,
  c: RedisCase,
  settings: RunSettings,
  log: (line: string) => void,
): Promise<ShardedPoint[]> {
  const own = c.cluster === 'start' ? await TestCluster.start() : undefined;
  const cluster = own?.env ?? c.cluster;
  const pids = own?.nodes.map((n) => n.child.pid!) ?? [];
  const points: ShardedPoint[] = [];
  try {
    for (const shards of c.shards ?? [1]) {
      const before = pids.map(cpuMsOf);
      const started = Date.now();
      const t = await redisThroughput(script, c, settings, {
        url: c.url,
        cluster,
        shards,
        processes: c.processes,
        topics: c.topics,
      });
      const wall = Date.now() - started;
      const point: ShardedPoint = { shards, eventsPerSec: c.events / t.seconds, throughput: t };
      // Over the whole case (start-up included): a lower bound of Redis's share while publishing.
      if (pids.length > 0)
        point.redisCpu = pids.map((pid, i) => (cpuMsOf(pid) - before[i]!) / wall);
      points.push(point);
      const cores = (list: number[]) => list.map((x) => x.toFixed(2)).join(' + ');
      log(
        `  redis sharded, ${shards} shard(s) on ${cluster === undefined ? 'one server' : 'a cluster'}, ${c.processes} processes, ${c.clients} clients x ${c.events} events over ${c.topics} topics: ${Math.round(point.eventsPerSec)} events/s end to end (${Math.round(t.deliveriesPerSec)} deliveries/s${t.complete ? '' : `, incomplete: ${(t.delivered * 100).toFixed(1)}%`}); cpu: servers ${cores(t.cpu.servers)}, load ${cores(t.cpu.load)}${point.redisCpu ? `, redis nodes ${cores(point.redisCpu)}` : ''}`,
      );
    }
  } finally {
    await own?.stop();
  }
  return points;
}

/** CPU time (user + system) of a process so far, ms, from /proc (0 where there is none). */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command; in clock ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}
