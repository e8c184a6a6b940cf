import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeraldError } from '../errors.js';
import { startProducer } from '../stream/start-producer.js';
import { type CloseReason, type ConnectionOwner, SseConnection } from './sse-connection.js';
import { type ResolvedSseOptions, resolveSseOptions } from './resolve-sse-options.js';
import type { SseStreamOptions } from './sse-options.js';

/** Counters of one SseServer since it was made. */
export interface SseServerStats {
  open: number;
  opened: number;
  closed: Record<CloseReason, number>;
}

/** Options of {@link SseServer.closeAll}. */
export interface CloseAllOptions {
  /** `retry:` (ms) sent to each stream before it ends; none when absent. */
  retry?: number;
  /** Spread (ms) added to `retry`, drawn per stream from `[0, jitter]`. Default 0. */
  jitter?: number;
}

/**
 * Opens event streams on HTTP responses and keeps track of the open ones, so an app can report them
 * and end them all on shutdown.
 *
 * @example
 * const sse = new SseServer({ heartbeat: 15_000 });
 * http.createServer((req, res) => sse.open(req, res, interval(1000).pipe(map((n) => ({ data: n })))));
 */
export class SseServer implements ConnectionOwner {
  #defaults: SseStreamOptions;
  // Route options are usually one object per route: resolve them once, not once per connection.
  #resolved = new WeakMap<SseStreamOptions, ResolvedSseOptions>();
  #plain: ResolvedSseOptions;
  #open = new Set<SseConnection>();
  #waiting = new Set<SseConnection>();
  #opened = 0;
  #closed: Record<CloseReason, number> = {
    complete: 0,
    error: 0,
    client: 0,
    'slow-consumer': 0,
    server: 0,
  };
  #closeListeners: Array<(conn: SseConnection, reason: CloseReason) => void> = [];

  constructor(defaults: SseStreamOptions = {}) {
    this.#defaults = defaults;
    this.#plain = resolveSseOptions(defaults);
  }

  /** Number of streams open now. */
  get size(): number {
    return this.#open.size;
  }

  /** Counters since this server was made. */
  stats(): SseServerStats {
    return { open: this.#open.size, opened: this.#opened, closed: { ...this.#closed } };
  }

  /**
   * Calls `listener` once for every stream this server started, when it closes (one listener for all
   * streams: an idle connection holds no callback of its own).
   */
  onStreamClose(listener: (conn: SseConnection, reason: CloseReason) => void): void {
    this.#closeListeners.push(listener);
  }

  /**
   * Starts streaming `source` (Observable, EventTarget, async iterable, ReadableStream) on `res`.
   *
   * Throws, before any byte is written, when `source` is not a stream (`INVALID_SOURCE`) or fails
   * while being subscribed: the caller can still answer with a real status code. After it returns,
   * the stream owns the response. Returns a Promise only for sources that must be ready first
   * (a Hub subscription with an `authorize` hook); it rejects, before any byte, on refusal.
   */
  open(
    req: IncomingMessage,
    res: ServerResponse,
    source: unknown,
    options?: SseStreamOptions,
  ): SseConnection | Promise<SseConnection> {
    const conn = new SseConnection(req, res, this.#optionsFor(options), this);
    const producer = startProducer(source, conn);
    conn.attach(producer);
    // A source that must check something first (the Hub's authorize hook) starts when it says so;
    // a refusal still comes before any byte, so the caller answers it with a status code.
    if (producer.ready !== undefined) return this.#startWhenReady(conn, res, producer.ready);
    return this.#start(conn);
  }

  /**
   * A stream waiting for its source (authorization, a replay read) is tracked too: a client that
   * leaves meanwhile releases its producer at once, and closeAll() ends it; either way it then
   * answers with an error (`CLOSED`, 503) instead of starting.
   */
  async #startWhenReady(
    conn: SseConnection,
    res: ServerResponse,
    ready: Promise<void>,
  ): Promise<SseConnection> {
    this.#waiting.add(conn);
    const leave = (): void => conn.close();
    res.once('close', leave);
    try {
      await ready;
    } catch (err) {
      conn.close();
      throw err;
    } finally {
      this.#waiting.delete(conn);
      res.off('close', leave);
    }
    if (conn.closed) throw new HeraldError('CLOSED', 'the stream was closed before it started');
    return this.#start(conn);
  }

  #optionsFor(options: SseStreamOptions | undefined): ResolvedSseOptions {
    if (options === undefined) return this.#plain;
    let resolved = this.#resolved.get(options);
    if (resolved === undefined) {
      resolved = resolveSseOptions(this.#defaults, options);
      this.#resolved.set(options, resolved);
    }
    return resolved;
  }

  #start(conn: SseConnection): SseConnection {
    try {
      conn.start();
    } catch (err) {
      // e.g. a header value Node refuses: nothing was sent, so the caller can still answer.
      conn.close();
      throw err;
    }
    this.#opened++;
    if (!conn.closed) this.#open.add(conn);
    return conn;
  }

  /** @internal */
  connectionClosed(conn: SseConnection, reason: CloseReason): void {
    this.#open.delete(conn);
    this.#closed[reason]++;
    for (const listener of this.#closeListeners) listener(conn, reason);
  }

  /**
   * Ends every open stream. With `retry`, each client is first told to reconnect after that many ms
   * (for a restart, or to move clients to another process). With `jitter` too, each client gets its
   * own delay, drawn uniformly from `[retry, retry + jitter]`, so thousands of clients spread their
   * reconnects over that window instead of landing on the remaining processes in the same instant.
   * Resolves once all are closed.
   *
   * @example
   * await sse.closeAll({ retry: 2_000, jitter: 2_000 }); // reconnects spread over 2–4 s
   */
  async closeAll(options: CloseAllOptions = {}): Promise<void> {
    const closing = [...this.#open].map(
      (conn) => new Promise<void>((resolve) => conn.onClose(() => resolve())),
    );
    // Whole, non-negative milliseconds: `retry:` takes ASCII digits only (HTML 9.2.6).
    const retry =
      options.retry === undefined || !Number.isFinite(options.retry)
        ? undefined
        : Math.max(0, Math.floor(options.retry));
    const spread = Math.max(0, Math.floor(options.jitter ?? 0)) + 1;
    for (const conn of [...this.#waiting]) conn.close();
    for (const conn of [...this.#open]) {
      if (retry === undefined) conn.close();
      else conn.close({ retry: retry + Math.floor(Math.random() * spread) });
    }
    await Promise.all(closing);
  }
}
