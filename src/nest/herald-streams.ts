import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ResolvedStreamLimits,
  resolveStreamLimits,
  StreamLimiter,
} from '../app/http/limits/stream-limits.js';
import type { RefusalStage } from '../app/http/limits/refusal-reason.js';
import type { SseConnection } from '../connection/sse-connection.js';
import type { SseStreamOptions } from '../connection/sse-options.js';
import { SseServer, type SseServerStats } from '../connection/sse-server.js';
import { Hub } from '../hub/hub.js';
import { Runs } from '../hub/runs/runs.js';
import type { RefusalSource } from '../metrics/stream-refusals.js';
import {
  DEFAULT_SHUTDOWN_RETRY,
  HERALD_MODULE_OPTIONS,
  type HeraldModuleOptions,
} from './herald-options.js';
import { common } from './nest-peers.js';
import { describeStreamError, logStreamError } from './nest-errors.js';

/** What a route needs to start a stream: Herald's engine behind the app's stream caps. */
export interface StreamOpener {
  /** Told of a stream request that failed before its stream began (absent: nobody counts). */
  refused?(stage: RefusalStage, err: unknown): void;
  open(
    req: IncomingMessage,
    res: ServerResponse,
    source: unknown,
    options: SseStreamOptions,
  ): SseConnection | Promise<SseConnection>;
}

/** The engine with Nest-shaped error reporting and no caps (see {@link fallbackOpener}). */
function nestSseServer(defaults: HeraldModuleOptions['sse'] = {}): SseServer {
  return new SseServer({
    describeError: describeStreamError,
    onError: logStreamError,
    ...defaults,
  });
}

/**
 * The streams of one Nest application: Herald's `SseServer` behind the `limits` caps. On Nest's
 * shutdown (`app.close()`, or a signal after `enableShutdownHooks()`) it refuses new streams, ends
 * every open one with a `retry:` hint spread over `[retry, retry + retryJitter]` so clients do not
 * all come back at the same instant, then closes the hub.
 */
@common.Injectable()
export class HeraldStreams implements StreamOpener {
  readonly #sse: SseServer;
  readonly #limiter: StreamLimiter;
  readonly #hub: Hub;
  readonly #runs: Runs;
  readonly #retry: number;
  readonly #jitter: number;

  constructor(
    @common.Inject(HERALD_MODULE_OPTIONS) options: HeraldModuleOptions,
    hub: Hub,
    runs: Runs,
  ) {
    this.#sse = nestSseServer(options.sse);
    const limits: ResolvedStreamLimits = resolveStreamLimits(options.limits);
    this.#limiter = new StreamLimiter(this.#sse, limits);
    this.#hub = hub;
    this.#runs = runs;
    this.#retry = options.shutdown?.retry ?? DEFAULT_SHUTDOWN_RETRY;
    this.#jitter = options.shutdown?.retryJitter ?? this.#retry;
  }

  /** @internal Starts `source` on the raw response, or throws a refusal before any byte. */
  open(
    req: IncomingMessage,
    res: ServerResponse,
    source: unknown,
    options: SseStreamOptions,
  ): SseConnection | Promise<SseConnection> {
    return this.#limiter.open(req, res, source, options);
  }

  /** @internal What Herald's metrics read: the engine's counts and the caps' refusals. */
  metricSources(): { sse: SseServer; refusals: RefusalSource } {
    return { sse: this.#sse, refusals: this.#limiter };
  }

  /** @internal A stream request failed at `stage` (counted by `herald_streams_refused_total`). */
  refused(stage: RefusalStage, err: unknown): void {
    this.#limiter.refused(stage, err);
  }

  /** Streams open now, streams opened, and how they closed. */
  stats(): SseServerStats {
    return this.#sse.stats();
  }

  /**
   * Nest lifecycle hook. It runs before the hub's and the runs' own (this provider depends on
   * both, and Nest destroys dependents first), so streams get their retry hint before the hub ends
   * them bare. Runs close before the hub: a run still producing is ended `failed` through the
   * hub's broker (on Redis, followers elsewhere are told at once), which must still be up.
   */
  async onModuleDestroy(): Promise<void> {
    this.#limiter.close();
    await this.#sse.closeAll({ retry: this.#retry, jitter: this.#jitter });
    await this.#runs.close();
    await this.#hub.close();
  }
}

let fallback: SseServer | undefined;

/**
 * The opener of `herald/nest` routes in an app that did not import `HeraldModule`: the engine with
 * its defaults, no caps, and no shutdown of its own (Nest's HTTP server close ends the sockets).
 */
export function fallbackOpener(): StreamOpener {
  fallback ??= nestSseServer();
  return fallback;
}
