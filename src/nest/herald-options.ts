import type { SseStreamOptions } from '../connection/sse-options.js';
import type { HubOptions } from '../hub/hub.js';
import type { RunsOptions } from '../hub/runs/runs.js';
import type { HeraldMetricsModuleOptions } from './herald-metrics.js';
import type { StreamLimits } from '../app/http/limits/stream-limits.js';

/** Stream defaults for every `herald/nest` `@Sse` route (a route's own options win). */
export type HeraldSseDefaults = Pick<
  SseStreamOptions,
  'heartbeat' | 'retry' | 'maxPendingBytes' | 'maxStallMs' | 'describeError' | 'onError'
>;

/** How streams end when the app closes (`app.close()`, or a signal after `enableShutdownHooks()`). */
export interface HeraldShutdownOptions {
  /** `retry:` (ms) sent to every open stream as it is ended. Default 2,000. */
  retry?: number;
  /** Spread (ms) over which those hints are drawn, per stream: `[retry, retry + retryJitter]`. Default: `retry`. */
  retryJitter?: number;
}

/**
 * Options of `HeraldModule.forRoot()`: those of `new Hub()` (`history`, `broker`, `authorize`,
 * `maxSubscribersPerTopic`), plus resumable runs, stream defaults, caps on open streams and
 * shutdown.
 */
export interface HeraldModuleOptions extends HubOptions {
  /** Options of the `Runs` provided with the hub (resumable runs, on the hub's broker). */
  runs?: RunsOptions;
  /** Stream defaults (`heartbeat` 15 s, `retry`, `maxPendingBytes` 1 MiB, `maxStallMs` 5 s). */
  sse?: HeraldSseDefaults;
  /**
   * Caps on open streams: past `maxStreams` (default: the open-files limit minus headroom) 503,
   * past `maxStreamsPerAddress` (default 1,000) 429, both with `Retry-After`, before a stream starts.
   */
  limits?: StreamLimits;
  /** Retry hints sent to streams ended by the app's shutdown. */
  shutdown?: HeraldShutdownOptions;
  /**
   * Herald's Prometheus metrics (README, "Metrics"), registered in `registry` and served on
   * `path` (default `/metrics`). Needs `prom-client`: `MISSING_PEER` from `forRoot()` without it.
   */
  metrics?: HeraldMetricsModuleOptions;
}

/** Options of `HeraldModule.forRootAsync()`, as Nest's own async modules take them. */
export interface HeraldModuleAsyncOptions {
  /** Modules whose providers `useFactory` injects (e.g. `ConfigModule`). */
  imports?: unknown[];
  /** Tokens passed to `useFactory`, in order. */
  inject?: unknown[];
  /** Makes the options; may be async (e.g. waits for a Redis URL from a config service). */
  useFactory: (
    ...args: never[]
  ) => Omit<HeraldModuleOptions, 'metrics'> | Promise<Omit<HeraldModuleOptions, 'metrics'>>;
  /**
   * As `forRoot`'s `metrics`. Given here rather than by the factory: the metrics route is declared
   * with the module, before any factory runs.
   */
  metrics?: HeraldMetricsModuleOptions;
}

/** The injection token of the module's resolved options. */
export const HERALD_MODULE_OPTIONS = Symbol.for('herald.nest.module-options');

/** Default retry hint on shutdown, as Herald's own app sends. */
export const DEFAULT_SHUTDOWN_RETRY = 2_000;
