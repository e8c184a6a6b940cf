import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RedisCase } from './runner/redis-scenario.js';

/** Scenario names accepted by `--scenario`. */
export const SCENARIOS = ['throughput', 'latency', 'memory', 'redis', 'http2'] as const;
/** One scenario name. */
export type Scenario = (typeof SCENARIOS)[number];

/** Everything one run does, from the command line. */
export interface BenchOptions {
  peers: string[] | undefined;
  scenarios: Scenario[];
  quick: boolean;
  /** Throughput cases as [clients, events]. */
  throughput: [number, number][];
  latency: { clients: number; rate: number; seconds: number; slackMs: number; tailMs: number };
  memory: number[];
  /** The cross-process cases through Redis (peers that support it: Herald). */
  redis: RedisCase;
  /** The HTTP/2 scenario: streams in all, streams per session, events. */
  http2: { streams: number; perSession: number; events: number };
  size: number;
  batch: number;
  timeoutMs: number;
  perProcess: number;
  budgetMs: number;
  out: string;
  /** Where `--profile` has every server write its `.cpuprofile` (one folder per peer); else off. */
  profileDir: string | undefined;
}

const USAGE = `node build/bench/run.js [options]
  --peers a,b          peers to run (default: all; ids in bench/peers.ts)
  --scenario x,y       throughput, latency, memory, redis, http2 (default: all)
  --quick              small sizes, for a smoke run (about a minute)
  --clients N --events N   one throughput case instead of the defaults
  --rate R --seconds S     latency case (default 200 events/s for 5 s, 2,000 clients)
  --latency-clients N
  --memory a,b         idle connection counts (default 10000,19000)
  --redis-url URL      Redis for the cross-process scenario (default BENCH_REDIS_URL or
                       redis://127.0.0.1:6379; skipped with one line when unreachable)
  --redis-clients N --redis-rate R --redis-seconds S --redis-events N
  --redis-cluster A    host:port,... of a Redis Cluster, or "start" for a local 6-node one
  --shards 1,3,6       sharded throughput at each shard count (with --redis-cluster or alone)
  --redis-processes N  Herald processes (default 2; 3 with --shards)
  --redis-topics N     topics per client, cycled by the publisher (default 12 with --shards, else 1)
                       cross-process cases (default 2,000 clients; 1,000 events/s for 5 s;
                       2,000 events flat out)
  --h2-streams N --h2-per-session N --h2-events N
                       HTTP/2 scenario (default 2,000 streams, 100 per session, 1,000 events;
                       HTTPS/1.1 rows use one TLS connection per stream)
  --size B             event data bytes (default 64)
  --batch B            events per event-loop turn at full speed (default 16)
  --timeout S          throughput time limit per case, seconds (default 120)
  --per-process N      sockets per load generator process (default 10000)
  --budget M           stop starting new cases after M minutes (default 45)
  --out DIR            results JSON directory (default .bench-results)
  --profile            run servers with --cpu-prof into DIR/profiles/<peer>/ (read them with
                       node build/bench/profile-top.js <file|dir>)`;

const list = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/** Parses `argv`; prints usage and exits on `--help` or an unknown flag. */
export function parseOptions(argv: string[]): BenchOptions {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      peers: { type: 'string' },
      scenario: { type: 'string' },
      'h2-streams': { type: 'string' },
      'h2-per-session': { type: 'string' },
      'h2-events': { type: 'string' },
      quick: { type: 'boolean', default: false },
      clients: { type: 'string' },
      events: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      'latency-clients': { type: 'string' },
      memory: { type: 'string' },
      'redis-url': { type: 'string' },
      'redis-clients': { type: 'string' },
      'redis-rate': { type: 'string' },
      'redis-seconds': { type: 'string' },
      'redis-events': { type: 'string' },
      'redis-cluster': { type: 'string' },
      'redis-processes': { type: 'string' },
      'redis-topics': { type: 'string' },
      shards: { type: 'string' },
      profile: { type: 'boolean', default: false },
      size: { type: 'string' },
      batch: { type: 'string' },
      timeout: { type: 'string' },
      'per-process': { type: 'string' },
      budget: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (v.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = v.quick === true;
  const scenarios = (list(v.scenario) ?? [...SCENARIOS]) as Scenario[];
  for (const s of scenarios) {
    if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}\n${USAGE}`);
  }
  const num = (value: string | undefined, fallback: number): number =>
    value === undefined ? fallback : Number(value);
  const throughput: [number, number][] =
    v.clients !== undefined || v.events !== undefined
      ? [[num(v.clients, 2000), num(v.events, 2000)]]
      : quick
        ? [[200, 500]]
        : [
            [2000, 2000],
            [10000, 200],
          ];
  return {
    peers: list(v.peers),
    scenarios,
    quick,
    throughput,
    latency: {
      clients: num(v['latency-clients'], quick ? 200 : 2000),
      rate: num(v.rate, 200),
      seconds: num(v.seconds, quick ? 1 : 5),
      slackMs: 1000,
      tailMs: quick ? 5000 : 30_000,
    },
    memory: (list(v.memory) ?? (quick ? ['500', '1000'] : ['10000', '19000'])).map(Number),
    redis: {
      url: v['redis-url'] ?? process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
      cluster: v['redis-cluster'],
      shards: list(v.shards)?.map(Number),
      processes: num(v['redis-processes'], v.shards === undefined ? 2 : 3),
      topics: num(v['redis-topics'], v.shards === undefined ? 1 : 12),
      clients: num(v['redis-clients'], quick ? 200 : 2000),
      events: num(v['redis-events'], quick ? 500 : 2000),
      rate: num(v['redis-rate'], 1000),
      seconds: num(v['redis-seconds'], quick ? 1 : 5),
      slackMs: 1000,
      tailMs: quick ? 5000 : 30_000,
      timeoutMs: num(v.timeout, quick ? 20 : 120) * 1000,
    },
    http2: {
      streams: num(v['h2-streams'], quick ? 200 : 2000),
      perSession: num(v['h2-per-session'], 100),
      events: num(v['h2-events'], quick ? 200 : 1000),
    },
    size: num(v.size, 64),
    batch: num(v.batch, 16),
    timeoutMs: num(v.timeout, quick ? 20 : 120) * 1000,
    perProcess: num(v['per-process'], 10_000),
    budgetMs: num(v.budget, 45) * 60_000,
    out: v.out ?? '.bench-results',
    profileDir: v.profile === true ? join(v.out ?? '.bench-results', 'profiles') : undefined,
  };
}
