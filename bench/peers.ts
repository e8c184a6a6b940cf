/** One server under test: a script in bench/servers that follows the contract in contract.ts. */
export interface Peer {
  /** Short name used on the command line (`--peers raw-net,herald`). */
  id: string;
  /** Name in the results table. */
  label: string;
  /** Compiled script, relative to build/bench/servers. */
  script: string;
  /** The script runs on a shared Redis log when given `BENCH_REDIS_URL`: the `redis` scenario. */
  redis?: boolean;
  /** The runtime that runs the script (default Node). */
  runtime?: 'node' | 'bun';
}

/**
 * Every peer, in table order. The first is the floor every ratio is taken against. A peer whose
 * script is absent, or that fails to start, is skipped with one line in the output.
 */
export const PEERS: readonly Peer[] = [
  {
    id: 'raw-net',
    label: 'raw `node:net`, pre-encoded Buffer, corked (floor)',
    script: 'raw-net.js',
  },
  { id: 'herald', label: 'Herald `@Sse` + Hub', script: 'herald.js', redis: true },
  {
    id: 'herald-metrics',
    label: 'Herald `@Sse` + Hub, `enableMetrics()` scraped every second',
    script: 'herald-metrics.js',
  },
  {
    id: 'herald-subject',
    label: 'Herald `@Sse` + shared RxJS Subject (no Hub)',
    script: 'herald-subject.js',
  },
  { id: 'raw-http', label: 'raw `node:http`, encode once, `res.write`', script: 'raw-http.js' },
  { id: 'better-sse', label: 'better-sse (Channel)', script: 'better-sse.js' },
  {
    id: 'herald-nest-fastify',
    label: 'NestJS 12 on Fastify + herald/nest `@Sse` + Hub',
    script: 'herald-nest-fastify.js',
  },
  {
    id: 'herald-nest-express',
    label: 'NestJS 12 on Express + herald/nest `@Sse` + Hub',
    script: 'herald-nest-express.js',
  },
  { id: 'nest-fastify', label: 'NestJS 12 `@Sse` on Fastify', script: 'nest-fastify.js' },
  { id: 'nest-express', label: 'NestJS 12 `@Sse` on Express', script: 'nest-express.js' },
  { id: 'hono', label: 'Hono `streamSSE` on `@hono/node-server`', script: 'hono.js' },
  {
    id: 'hono-herald',
    label: 'Hono + `herald/fetch` + Hub on `@hono/node-server`',
    script: 'hono-herald.js',
  },
  { id: 'hono-bun', label: 'Hono `streamSSE` on Bun', script: 'hono.js', runtime: 'bun' },
  {
    id: 'hono-herald-bun',
    label: 'Hono + `herald/fetch` + Hub on Bun',
    script: 'hono-herald.js',
    runtime: 'bun',
  },
];

/** The peer every ratio is taken against. */
export const FLOOR = 'raw-net';
