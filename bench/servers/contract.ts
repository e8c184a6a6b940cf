import { performance } from 'node:perf_hooks';

/**
 * The contract every bench server follows (one script per peer, run in its own process):
 * - `GET /sse` subscribes the client to the one broadcast stream (status 200, head sent at once);
 * - `POST /publish?n=N&rate=R&size=S[&batch=B]` answers at once and starts a burst (see {@link startBurst});
 * - `GET /stats[?gc=1]` answers `{ clients, rss, heapUsed, cpuMs }` as JSON (see {@link readStats});
 * - the port comes from argv[2] or `PORT` (0 = any free port); once listening on 127.0.0.1 the
 *   script prints `READY <port>` on stdout (see {@link announceReady}).
 */
export interface BurstOptions {
  /** Events to publish. */
  n: number;
  /** Events per second; 0 publishes as fast as the server can. */
  rate: number;
  /** Bytes of event data (ASCII). */
  size: number;
  /** Events per turn of the event loop when `rate` is 0 (default {@link BATCH}). */
  batch: number;
}

/** Events published per turn of the event loop when `rate` is 0. */
export const BATCH = 16;

/** Port to listen on: argv[2], else `PORT`, else 0. */
export function readPort(): number {
  return Number(process.argv[2] ?? process.env.PORT ?? 0);
}

/**
 * Prints the ready line the runner waits for. SIGTERM (the runner's stop) then exits normally,
 * because `node --cpu-prof` writes its profile only on a normal exit, never when a signal kills.
 */
export function announceReady(port: number): void {
  process.once('SIGTERM', () => process.exit(0));
  process.stdout.write(`READY ${port}\n`);
}

/** Reads `n`, `rate` and `size` from a `/publish` query string. */
export function parseBurst(query: URLSearchParams | Record<string, unknown>): BurstOptions {
  const get = (key: string): number =>
    Number(query instanceof URLSearchParams ? query.get(key) : query[key]);
  return {
    n: get('n') || 0,
    rate: get('rate') || 0,
    size: get('size') || 64,
    batch: get('batch') || BATCH,
  };
}

/**
 * `GET /stats` body; with `gc` set, collects garbage first (the runner starts us `--expose-gc`).
 * `cpuMs` is the process's CPU time so far (user + system), so the runner can tell a saturated
 * server from a saturated load generator.
 */
export function readStats(clients: number, gc: boolean): string {
  if (gc && typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  const { rss, heapUsed } = process.memoryUsage();
  const { user, system } = process.cpuUsage();
  return JSON.stringify({ clients, rss, heapUsed, cpuMs: (user + system) / 1000 });
}

/** Event data of `size` bytes: the publish time (ms, absolute) first, then padding. */
export function payload(size: number): string {
  const stamp = (performance.timeOrigin + performance.now()).toFixed(3);
  return `${stamp} `.padEnd(size, 'x');
}

/** Hooks a server gives {@link startBurst}: one call per event, optional calls around a batch. */
export interface Publisher {
  publish(data: string): void;
  batchStart?(): void;
  batchEnd?(): void;
}

/**
 * Publishes `n` events of `size` bytes, each stamped when it is made.
 * - `rate` 0: `batch` events ({@link BATCH} by default) back to back, then `setImmediate`, so the poll phase runs and
 *   sockets flush between batches (the publisher never waits for drain: a slow peer queues).
 * - `rate` R: a timer every `min(10, 1000 / R)` ms publishes every event due by then, so the mean
 *   rate holds even when a tick comes late.
 */
export function startBurst(
  { n, rate, size, batch: perTurn }: BurstOptions,
  publisher: Publisher,
): void {
  let sent = 0;
  const started = performance.now();
  const batch = (count: number): void => {
    publisher.batchStart?.();
    for (let i = 0; i < count; i++) publisher.publish(payload(size));
    publisher.batchEnd?.();
    sent += count;
  };
  if (rate <= 0) {
    const turn = (): void => {
      batch(Math.min(perTurn, n - sent));
      if (sent < n) setImmediate(turn);
    };
    setImmediate(turn);
    return;
  }
  const tick = (): void => {
    const due = Math.min(n, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    if (due > sent) batch(due - sent);
    if (sent < n) setTimeout(tick, Math.max(1, Math.min(10, 1000 / rate)));
  };
  tick();
}
