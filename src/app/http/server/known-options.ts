import type { SseStreamOptions } from '../../../connection/index.js';
import type { StreamLimits } from '../limits/stream-limits.js';
import type { ValidationOptions } from '../routing/validation.js';
import type { HeraldApplicationOptions } from './application-options.js';
import type { CorsOptions } from './cors-options.js';
import type { Http2Options } from './secure-options.js';
import type { HttpServerOptions } from './server-options.js';
import type { ShutdownOptions } from './shutdown.js';

// Every key of each options type, checked by the compiler both ways: an option added to a type
// must be added here, so it is never refused by mistake.
type Keys<T> = Record<keyof Required<T>, true>;
/** @internal The keys of `HeraldFactory.create()`'s options. */
export const TOP: Keys<HeraldApplicationOptions> = {
  logger: true,
  cors: true,
  bodyLimit: true,
  sse: true,
  limits: true,
  server: true,
  https: true,
  http2: true,
  shutdown: true,
  overrides: true,
  trustProxy: true,
  validation: true,
  accessLog: true,
  logRoutes: true,
};
/** @internal The keys of each nested option object. */
export const NESTED: Record<string, Record<string, true>> = {
  cors: {
    origin: true,
    methods: true,
    allowedHeaders: true,
    exposedHeaders: true,
    credentials: true,
    maxAge: true,
    preflightContinue: true,
    optionsSuccessStatus: true,
  } satisfies Keys<CorsOptions>,
  sse: {
    status: true,
    headers: true,
    heartbeat: true,
    retry: true,
    maxPendingBytes: true,
    maxStallMs: true,
    describeError: true,
    onError: true,
  } satisfies Keys<SseStreamOptions>,
  limits: {
    maxStreams: true,
    maxStreamsPerAddress: true,
    retryAfterSeconds: true,
    addressOf: true,
  } satisfies Keys<StreamLimits>,
  server: {
    maxHeaderSize: true,
    headersTimeout: true,
    requestTimeout: true,
    keepAliveTimeout: true,
    backlog: true,
  } satisfies Keys<HttpServerOptions>,
  shutdown: { retry: true, retryJitter: true, timeout: true } satisfies Keys<ShutdownOptions>,
  http2: {
    maxConcurrentStreams: true,
    maxSessionMemory: true,
    maxHeaderListPairs: true,
    maxSessionRejectedStreams: true,
    maxSessionInvalidFrames: true,
  } satisfies Keys<Http2Options>,
  validation: {
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
  } satisfies Keys<ValidationOptions>,
};

/** @internal NestJS (and Express) options people bring along, and what to do instead. */
export const NOT_SUPPORTED: Record<string, string> = {
  httpsOptions: "Herald's option is https (Node's TLS options: key, cert, ...)",
  bodyParser: 'JSON and URL-encoded bodies are always parsed; set their size cap with bodyLimit',
  rawBody: 'bodies of other content types reach handlers as a Buffer; there is no rawBody option',
  forceCloseConnections: 'close() always ends open streams and idle sockets; see shutdown.timeout',
  abortOnError: 'startup errors always reject HeraldFactory.create()',
  bufferLogs: 'logs are never buffered; pass your own logger',
};
