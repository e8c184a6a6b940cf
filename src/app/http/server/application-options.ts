import type { SseStreamOptions } from '../../../connection/index.js';
import type { ProviderOverride } from '../../di/types.js';
import type { StreamLimits } from '../limits/stream-limits.js';
import type { ValidationOptions } from '../routing/validation.js';
import type { AccessLogOption } from './access-log.js';
import type { CorsOptions } from './cors-options.js';
import type { LoggerLike } from './logger.js';
import type { Http2Options, HttpsOptions } from './secure-options.js';
import type { HttpServerOptions } from './server-options.js';
import type { ShutdownOptions } from './shutdown.js';
import type { TrustProxy } from './trust-proxy.js';

/** Options of `HeraldFactory.create()`. An unknown key fails the start (`INVALID_MODULE`). */
export interface HeraldApplicationOptions {
  /** A logger (`{ log, error, warn }`), or `false` for none. Default: a `Logger` on stdout/stderr. */
  logger?: false | LoggerLike;
  /** Enables CORS for every route: `true` for the defaults, or options as `enableCors()` takes. */
  cors?: boolean | CorsOptions;
  /** Largest accepted request body in bytes (413 past it). Default 100 KiB. */
  bodyLimit?: number;
  /** App-wide event-stream defaults (heartbeat, retry, maxPendingBytes), under each `@Sse`'s own. */
  sse?: SseStreamOptions;
  /** Caps on open event streams, in total and per client address (503/429 past them). */
  limits?: StreamLimits;
  /** Request-head size and timeouts of the HTTP server (431/408 past them). */
  server?: HttpServerOptions;
  /**
   * Serve HTTPS: Node's TLS options (`key`, `cert`, ...). `listen()` then serves TLS and `getUrl()`
   * is `https://...`. Alone, HTTPS/1.1; with `http2`, HTTP/2 and HTTP/1.1 on one port.
   */
  https?: HttpsOptions;
  /**
   * Serve HTTP/2: `true` or limits (`maxConcurrentStreams`, default 256, ...). With `https`, to
   * clients that negotiate it by ALPN, HTTP/1.1 to the rest; without, h2c by prior knowledge only
   * (behind a proxy that speaks it).
   */
  http2?: boolean | Http2Options;
  /** The `retry:` hint streams get on close, and the deadline of a signal-driven shutdown. */
  shutdown?: ShutdownOptions;
  /** Providers that replace those under the same token anywhere in the module tree (for tests). */
  overrides?: readonly ProviderOverride[];
  /**
   * Which proxies may tell the client's address (`X-Forwarded-For`), as Express's `trust proxy`:
   * it sets `request.ip`, which the per-address stream cap counts by. Default `false`.
   */
  trustProxy?: TrustProxy;
  /** DTO validation: `whitelist`, `forbidNonWhitelisted`, `transform` (default true). */
  validation?: ValidationOptions;
  /**
   * One line per request once its response ends (`GET /news 200 3 ms`; a stream when it closes):
   * `true` on the app's logger, or a function that gets each entry. Default `false`.
   */
  accessLog?: AccessLogOption;
  /** Logs every route (`Mapped GET /api/news (NewsController.list)`) at start. Default `false`. */
  logRoutes?: boolean;
}
