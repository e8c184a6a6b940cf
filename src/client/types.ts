/** Event type -> data type, e.g. `{ alert: Alert; update: Update }`. */
export type EventMap = Record<string, unknown>;

/**
 * One dispatched Server-Sent Event (WHATWG HTML 9.2.6).
 *
 * - `type`: the `event:` field, `message` when absent or empty.
 * - `data`: the `data:` lines joined with LF; JSON-parsed when the stream was opened with `json: true`.
 * - `id`: the stream's last event ID when the event was dispatched (it persists across events until
 *   the server sends another `id:`; an empty `id:` resets it to `''`).
 * - `retry`: the reconnection time (ms) set by a valid `retry:` line in this event's block, if any.
 */
export interface ServerEvent<Type extends string = string, Data = string> {
  readonly type: Type;
  readonly data: Data;
  readonly id: string;
  readonly retry?: number;
}

/** The union of the events a stream typed with `Events` can yield. */
export type EventOf<Events extends EventMap> = {
  [K in keyof Events & string]: ServerEvent<K, Events[K]>;
}[keyof Events & string];

/** Backoff settings (milliseconds; `jitter` is a ratio from 0 to 1). */
export interface RetryOptions {
  /** Delay before the first reconnection, until the server sends `retry:`. Default 1000. */
  initial?: number | undefined;
  /** Cap of the exponential backoff after repeated failures. Default 30000. */
  max?: number | undefined;
  /** Each wait after a failure is drawn from `[delay * (1 - jitter), delay]`. Default 0.5. */
  jitter?: number | undefined;
}

/** Request bodies that can be sent again on every reconnection (a ReadableStream cannot). */
export type ReplayableBody = Exclude<BodyInit, ReadableStream>;

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Request headers, or a function called before every attempt (e.g. to refresh a token). */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>) | undefined;
  /** HTTP method. Default `GET`. */
  method?: string | undefined;
  /** Request body, sent again on every reconnection (unless `resumeUrl` is set). */
  body?: ReplayableBody | undefined;
  /**
   * Where to reconnect once the first response has opened: a GET with `Last-Event-ID` and no
   * body, instead of repeating `method` and `body` (a POST that started a resumable run must not
   * start it again). Herald's runs end with a `herald:end` event, after which the stream closes.
   */
  resumeUrl?: string | URL | undefined;
  /** The `Last-Event-ID` to send on the first request (resume from a stored position). */
  lastEventId?: string | undefined;
  /** Backoff settings, or `false` to close the stream (instead of reconnecting) when the response ends. */
  retry?: RetryOptions | false | undefined;
  /** The `fetch` to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch | undefined;
  /** Aborting it closes the stream; iterators and subscribers then fail with code `ABORTED`. */
  signal?: AbortSignal | undefined;
  /** Parse every event's data as JSON. Default false. */
  json?: boolean | undefined;
  /** Send cookies cross-origin (`credentials: 'include'`), like `EventSource`'s option. */
  withCredentials?: boolean | undefined;
}
