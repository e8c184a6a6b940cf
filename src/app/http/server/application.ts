import type { AddressInfo } from 'node:net';
import cors from 'cors';
import type { SseServer } from '../../../connection/index.js';
import type { Container } from '../../di/container.js';
import type { InjectionToken } from '../../di/types.js';
import type { StreamLimiter } from '../limits/stream-limits.js';
import type { Router } from '../routing/router.js';
import type { CorsOptions } from './cors-options.js';
import type { GlobalPrefixOptions } from './global-prefix.js';
import type { LoggerLike } from './logger.js';
import type { AnyMiddleware, Middleware } from './middleware.js';
import { type PipelineSettings, RequestPipeline } from './request-pipeline.js';
import { createHeraldServer, type HeraldServer, type ServerHandle } from './create-server.js';
import type { Http2Options, HttpsOptions } from './secure-options.js';
import { type HttpServerOptions, listenBacklog } from './server-options.js';
import {
  DEFAULT_SHUTDOWN_SIGNALS,
  listenForSignals,
  resolveShutdown,
  type ShutdownOptions,
} from './shutdown.js';
import { type StaticAssetsOptions, staticAssets } from './static-assets.js';
import { stopServer } from './stop-server.js';
import { isHeraldError } from '../../../errors.js';
import { Hub } from '../../../hub/hub.js';
import {
  type AppMetrics,
  enableAppMetrics,
  type MetricsOptions,
} from '../../../metrics/app-metrics.js';

/** @internal What `HeraldFactory` hands the application besides its parts. */
export interface ApplicationSettings extends Omit<PipelineSettings, 'logger'> {
  limiter: StreamLimiter;
  server?: HttpServerOptions;
  https?: HttpsOptions;
  http2?: boolean | Http2Options;
  shutdown?: ShutdownOptions;
}

/**
 * A running Herald application: the HTTP server, its routes, the DI container and the SSE engine.
 * Made by `HeraldFactory.create()`.
 *
 * @example
 * ```ts
 * const app = await HeraldFactory.create(AppModule);
 * app.enableCors();
 * await app.listen(3000);
 * console.log(`listening on ${app.getUrl()}`);
 * ```
 */
export class HeraldApplication {
  readonly #container: Container;
  readonly #sse: SseServer;
  readonly #logger: LoggerLike;
  readonly #server: HeraldServer;
  readonly #handle: ServerHandle;
  readonly #limiter: StreamLimiter;
  readonly #pipeline: RequestPipeline;
  readonly #shutdown: Required<ShutdownOptions>;
  readonly #backlog: number;
  #stopListening: (() => void) | undefined;
  #metrics: AppMetrics | undefined;
  #closed: Promise<void> | undefined;

  /** @internal Use `HeraldFactory.create()`. */
  constructor(
    container: Container,
    router: Router,
    sse: SseServer,
    logger: LoggerLike,
    settings: ApplicationSettings,
  ) {
    this.#container = container;
    this.#sse = sse;
    this.#logger = logger;
    this.#limiter = settings.limiter;
    this.#pipeline = new RequestPipeline(router, { ...settings, logger });
    this.#shutdown = resolveShutdown(settings.shutdown);
    this.#backlog = listenBacklog(settings.server);
    this.#handle = createHeraldServer(settings, (req, res) => this.#pipeline.handle(req, res));
    this.#server = this.#handle.server;
  }

  /**
   * Puts every route under `prefix` (`'api'` -> `/api/...`), except those `exclude` names, as
   * NestJS does. Call it before `init()`/`listen()`, which register the routes; static assets keep
   * their own paths.
   *
   * @example
   * ```ts
   * app.setGlobalPrefix('api', { exclude: ['health', { path: 'events', method: RequestMethod.GET }] });
   * ```
   */
  setGlobalPrefix(prefix: string, options?: GlobalPrefixOptions): this {
    this.#pipeline.setPrefix(prefix, options);
    return this;
  }

  /**
   * Adds Connect/Express-style middleware (`helmet()`, `compression()`, a request logger), run in
   * the order added, before routing, on every request: JSON routes, event streams, static files
   * and 404s alike. `next(err)` (or a throw or rejection) answers the error as JSON (an error with
   * a 4xx `status` keeps it). CORS runs where `enableCors()` was called (the `cors` option: first).
   *
   * @example
   * ```ts
   * app.use(helmet(), compression());
   * ```
   */
  use(...middleware: AnyMiddleware[]): this {
    this.#pipeline.middleware.use(middleware);
    return this;
  }

  /** Runs `onModuleInit` hooks and registers the routes (once; `listen()` calls it). */
  async init(): Promise<this> {
    this.#pipeline.finalizeRoutes();
    await this.#container.init();
    return this;
  }

  /** Initializes, then listens (and logs `Herald listening on <url>`). Port 0 picks a free port. */
  async listen(port: number, host?: string): Promise<HeraldServer> {
    await this.init();
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen({ port, host, backlog: this.#backlog }, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#logger.log(`Herald listening on ${this.getUrl()}`);
    return this.#server;
  }

  /**
   * The base URL the app listens on, e.g. `http://127.0.0.1:3000`, or `https://...` when it serves
   * TLS (loopback for a wildcard bind).
   */
  getUrl(): string {
    const address = this.#server.address() as AddressInfo | null;
    if (address === null) throw new Error('getUrl() called before listen()');
    const wildcard = address.address === '::' || address.address === '0.0.0.0';
    const host = wildcard ? '127.0.0.1' : address.address;
    return `${this.#handle.scheme}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  }

  /** A provider from the DI container, e.g. `app.get(EventEmitter2)`. */
  get<T = unknown>(token: InjectionToken<T>): T {
    return this.#container.get(token);
  }

  /** The Node server (exists before `listen()`): node:http's, node:https's or node:http2's. */
  getHttpServer(): HeraldServer {
    return this.#server;
  }

  /**
   * Answers CORS preflights and adds CORS headers to every response (`cors` package). It runs
   * among `use()` middleware where it was first called; calling it again replaces its options.
   */
  enableCors(options?: CorsOptions): this {
    this.#pipeline.middleware.setCors(cors(options as cors.CorsOptions) as Middleware);
    return this;
  }

  /** Serves the files of `dir` (under `prefix`) for GET/HEAD requests no route matches. */
  useStaticAssets(dir: string, options?: StaticAssetsOptions): this {
    this.#pipeline.statics.push(staticAssets(dir, options));
    return this;
  }

  /**
   * Serves Prometheus metrics on `path` (default `/metrics`): Herald's `herald_streams_*`,
   * `herald_hub_*` and `herald_broker_*` (README, "Metrics"), plus whatever else is in the
   * registry. Needs `prom-client` (an optional peer).
   *
   * @throws HeraldError `MISSING_PEER` when prom-client is not installed.
   * @example
   * ```ts
   * const registry = new Registry(); // from prom-client; its default registry when omitted
   * app.enableMetrics({ path: '/metrics', registry });
   * ```
   */
  enableMetrics(options: MetricsOptions = {}): this {
    this.#metrics?.remove();
    this.#metrics = undefined;
    const hub = options.hub ?? this.#optional(Hub);
    this.#metrics = enableAppMetrics(options, { sse: this.#sse, refusals: this.#limiter, hub });
    this.#pipeline.metrics = this.#metrics.endpoint;
    return this;
  }

  #optional<T>(token: InjectionToken<T>): T | undefined {
    try {
      return this.#container.get(token);
    } catch (err) {
      if (isHeraldError(err, 'MISSING_DEPENDENCY')) return undefined;
      throw err;
    }
  }

  /**
   * Closes the app gracefully on SIGTERM and SIGINT (or the `signals` given), then lets the signal
   * end the process as usual. A shutdown that overruns `shutdown.timeout` (default 10 s) has its
   * sockets cut and the process ended anyway. Listening stops when the app is closed.
   *
   * @example
   * ```ts
   * const app = await HeraldFactory.create(AppModule, { shutdown: { retry: 1_000 } });
   * app.enableShutdownHooks();
   * await app.listen(3000);
   * ```
   */
  enableShutdownHooks(signals: readonly string[] = DEFAULT_SHUTDOWN_SIGNALS): this {
    this.#stopListening?.();
    this.#stopListening = listenForSignals(
      signals,
      {
        close: (signal) => this.close(signal),
        forceClose: () => this.#handle.closeAll(),
      },
      this.#shutdown.timeout,
      this.#logger,
    );
    return this;
  }

  /**
   * Graceful stop: stops accepting connections and refuses new streams (503), ends every open
   * event stream with a `retry:` hint (`shutdown.retry`, default 2 s, spread per stream by
   * `shutdown.retryJitter`, default as much again) so clients reconnect elsewhere, and not all at
   * once; lets in-flight requests finish (closing idle keep-alive sockets; cut after 5 s or
   * half `shutdown.timeout`), then runs `onModuleDestroy`, `beforeApplicationShutdown` and
   * `onApplicationShutdown` hooks. Runs once.
   */
  close(signal?: string): Promise<void> {
    this.#closed ??= this.#stop(signal);
    return this.#closed;
  }

  async #stop(signal?: string): Promise<void> {
    this.#pipeline.closing = true;
    this.#limiter.close();
    await stopServer(this.#handle, this.#sse, this.#shutdown);
    try {
      await this.#container.close(signal);
    } finally {
      this.#stopListening?.();
      this.#stopListening = undefined;
      this.#metrics?.remove();
    }
  }
}
