/**
 * Every error Herald throws on purpose is a `HeraldError` with a stable string `code`.
 * Codes are documented in README.md ("Errors"); never reuse one for another meaning.
 */
export type HeraldErrorCode =
  /** A MessageEvent that cannot be put on the wire (CR/LF/NUL in id or type, bad retry, unserializable data). */
  | 'INVALID_EVENT'
  /** An `@Sse` handler returned something that is not a stream (Observable, EventTarget, iterable, ReadableStream). */
  | 'INVALID_SOURCE'
  /** The DI container could not resolve a dependency; the message names the whole chain. */
  | 'MISSING_DEPENDENCY'
  /** Providers that depend on each other in a cycle. */
  | 'CIRCULAR_DEPENDENCY'
  /** A module, provider or decorator used in a way the framework cannot honour. */
  | 'INVALID_MODULE'
  /** An optional peer dependency (e.g. `ioredis`) is not installed; the message says what to install. */
  | 'MISSING_PEER'
  /** Work asked of something already closed (a hub, a connection, an app). */
  | 'CLOSED'
  /** A hub topic name or subscribe option that is not acceptable. */
  | 'INVALID_TOPIC'
  /** The broker (e.g. Redis) could not take or deliver a publish. */
  | 'BROKER_UNAVAILABLE'
  /** A connection was closed because its unsent bytes passed `maxPendingBytes`. */
  | 'SLOW_CONSUMER'
  /** Client: the server answered with a status that is not 200 (`error.status` holds it). */
  | 'HTTP_STATUS'
  /** Client: the response's Content-Type is not `text/event-stream`; the client does not retry. */
  | 'CONTENT_TYPE'
  /** Client: the caller's `AbortSignal` ended the stream. */
  | 'ABORTED'
  /** Client: the request failed or the stream broke off before the server ended it. */
  | 'NETWORK'
  /** Client: an event's data was not valid JSON although JSON was asked for; the event is skipped. */
  | 'INVALID_JSON'
  /** A subscribe the hub's `authorize` hook refused (answered 403 before the stream starts). */
  | 'FORBIDDEN_TOPIC'
  /** A topic already has `maxSubscribersPerTopic` subscribers (answered 503 before the stream starts). */
  | 'TOPIC_FULL'
  /** `runs.start` with an id that is running or still retained (answered 409 before any stream). */
  | 'RUN_EXISTS'
  /** `runs.subscribe` with an id that was never started or has expired (404 before any stream). */
  | 'RUN_NOT_FOUND'
  /** A run id that is not a string of 1 to 200 characters. */
  | 'INVALID_RUN_ID'
  /** A run passed its retention cap (`maxEvents` or `maxBytes`): it ends `failed`. */
  | 'RUN_TOO_LARGE'
  /** An event for a run that has already ended (cancelled, or its lease was lost). */
  | 'RUN_ENDED';

/**
 * The HTTP status each code answers with when it reaches a handler's caller before a stream starts.
 * Every code has one (a new code without it does not compile); a 5xx answer hides the message.
 */
export const HERALD_ERROR_STATUS = {
  INVALID_EVENT: 500,
  INVALID_SOURCE: 500,
  MISSING_DEPENDENCY: 500,
  CIRCULAR_DEPENDENCY: 500,
  INVALID_MODULE: 500,
  MISSING_PEER: 500,
  // The hub or app is closing: another process (or this one, later) can take the request.
  CLOSED: 503,
  INVALID_TOPIC: 400,
  // The broker (Redis) is unreachable: a publish or a replay can be tried again shortly.
  BROKER_UNAVAILABLE: 503,
  SLOW_CONSUMER: 500,
  // herald/client errors let through by a handler that read another stream: the upstream failed.
  HTTP_STATUS: 502,
  CONTENT_TYPE: 502,
  NETWORK: 502,
  INVALID_JSON: 502,
  ABORTED: 500,
  FORBIDDEN_TOPIC: 403,
  TOPIC_FULL: 503,
  RUN_EXISTS: 409,
  RUN_NOT_FOUND: 404,
  INVALID_RUN_ID: 400,
  // Raised inside a run's producer, never by a request: the server's limit, not the caller's.
  RUN_TOO_LARGE: 500,
  RUN_ENDED: 409,
} as const satisfies Record<HeraldErrorCode, number>;

/** Base class of every error Herald throws on purpose. */
export class HeraldError extends Error {
  readonly code: HeraldErrorCode;

  constructor(code: HeraldErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HeraldError';
    this.code = code;
  }
}

/** True when `err` is a `HeraldError`, optionally of the given code. */
export function isHeraldError(err: unknown, code?: HeraldErrorCode): err is HeraldError {
  return err instanceof HeraldError && (code === undefined || err.code === code);
}
