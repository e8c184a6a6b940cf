import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import cors from 'cors';
import type { SseServer } from '../../../connection/index.js';
import type { Container } from '../../di/container.js';
import type { InjectionToken } from '../../di/types.js';
import type { CorsOptions } from './cors-options.js';
import { sendError } from '../errors/error-response.js';
import { sendJson } from '../send-json.js';
import { NotFoundException } from '../errors/exceptions.js';
import type { LoggerLike } from './logger.js';
import { type Middleware, runMiddleware } from './middleware.js';
import type { Router } from '../routing/router.js';
import { type HttpServerOptions, nodeServerOptions } from './server-options.js';
import {
  DEFAULT_SHUTDOWN_SIGNALS,
  listenForSignals,
  resolveShutdown,
  type ShutdownOptions,
} from './shutdown.js';
import { type StaticAssetsOptions, staticAssets } from './static-assets.js';
import type { StreamLimiter } from '../limits/stream-limits.js';

/** How long `close()` lets in-flight (non-stream) requests finish before cutting their sockets. */
const CLOSE_GRACE_MS = 5_000;
/** How often a closing app closes keep-alive sockets that have turned idle. */
const IDLE_SWEEP_MS = 25;

/** @internal What `HeraldFactory` hands the application besides its parts. */
export interface ApplicationSettings {
  limiter: StreamLimiter;
  server?: HttpServerOptions;
  shutdown?: ShutdownOptions;
}

const ignore = () => undefined;

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
  readonly #router: Router;
  readonly #sse: SseServer;
  readonly #logger: LoggerLike;
  readonly #server: Server;
  readonly #limiter: StreamLimiter;
  readonly #shutdown: Required<ShutdownOptions>;
  #stopListening: (() => void) | undefined;
  #cors: Middleware | undefined;
  readonly #statics: Middleware[] = [];
  #closing = false;
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
    this.#router = router;
    this.#sse = sse;
    this.#logger = logger;
    this.#limiter = settings.limiter;
    this.#shutdown = resolveShutdown(settings.shutdown);
    this.#server = createServer(nodeServerOptions(settings.server), (req, res) =>
      this.#handle(req, res),
    );
  }

  /** Runs `onModuleInit` hooks (once; `listen()` calls it). */
  async init(): Promise<this> {
    await this.#container.init();
    return this;
  }

  /** Initializes, then listens. Port 0 picks a free port (see `getUrl()`). */
  async listen(port: number, host?: string): Promise<Server> {
    await this.init();
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    return this.#server;
  }

  /** The base URL the app listens on, e.g. `http://127.0.0.1:3000` (loopback for a wildcard bind). */
  getUrl(): string {
    const address = this.#server.address() as AddressInfo | null;
    if (address === null) throw new Error('getUrl() called before listen()');
    const wildcard = address.address === '::' || address.address === '0.0.0.0';
    const host = wildcard ? '127.0.0.1' : address.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  }

  /** A provider from the DI container, e.g. `app.get(EventEmitter2)`. */
  get<T = unknown>(token: InjectionToken<T>): T {
    return this.#container.get(token);
  }

  /** The Node HTTP server (exists before `listen()`). */
  getHttpServer(): Server {
    return this.#server;
  }

  /** Answers CORS preflights and adds CORS headers to every response (`cors` package). */
  enableCors(options?: CorsOptions): this {
    this.#cors = cors(options as cors.CorsOptions) as Middleware;
    return this;
  }

  /** Serves the files of `dir` (under `prefix`) for GET/HEAD requests no route matches. */
  useStaticAssets(dir: string, options?: StaticAssetsOptions): this {
    this.#statics.push(staticAssets(dir, options));
    return this;
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
        forceClose: () => this.#server.closeAllConnections(),
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
    this.#closing = true;
    this.#limiter.close();
    const stopped = this.#server.listening
      ? new Promise<void>((resolve) => this.#server.close(() => resolve()))
      : Promise.resolve();
    const { retry, retryJitter } = this.#shutdown;
    await this.#sse.closeAll({ retry, jitter: retryJitter });
    // A keep-alive socket turns idle only once its last response has finished flushing, which is
    // after the streams report closed and after in-flight requests end: sweep until all are gone.
    this.#server.closeIdleConnections();
    const sweep = setInterval(() => this.#server.closeIdleConnections(), IDLE_SWEEP_MS);
    const grace = Math.min(CLOSE_GRACE_MS, this.#shutdown.timeout / 2);
    const force = setTimeout(() => this.#server.closeAllConnections(), grace);
    sweep.unref();
    force.unref();
    await stopped;
    clearInterval(sweep);
    clearTimeout(force);
    try {
      await this.#container.close(signal);
    } finally {
      this.#stopListening?.();
      this.#stopListening = undefined;
    }
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    // Aborted requests and broken sockets are normal on the Internet; never let them throw.
    req.on('error', ignore);
    res.on('error', ignore);
    if (this.#closing) res.setHeader('Connection', 'close');
    this.#dispatch(req, res).catch((err) => sendError(res, err, this.#logger));
  }

  async #dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.#cors && !(await runMiddleware(this.#cors, req, res))) return;
    if (await this.#router.dispatch(req, res)) return;
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'OPTIONS') {
      const allowed = this.#router.allowed(req.url ?? '/');
      if (allowed.length > 0) {
        res.writeHead(204, { Allow: [...allowed, 'OPTIONS'].join(', ') }).end();
        return;
      }
    }
    for (const serve of this.#statics) {
      if (!(await runMiddleware(serve, req, res))) return;
    }
    const body = new NotFoundException(`Cannot ${req.method} ${path}`).getBody();
    sendJson(res, 404, body);
  }
}
