import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SseConnection, SseServer, SseStreamOptions } from '../../../connection/index.js';
import { HeraldError } from '../../../errors.js';
import { defaultMaxStreams } from './open-files-limit.js';
import {
  DEFAULT_RETRY_AFTER_SECONDS,
  RetryLaterException,
} from '../errors/retry-later-exception.js';
import type { SseOpener } from '../routing/route-handler.js';
import type { RefusalSource, StreamRefusalReason } from '../../../metrics/stream-refusals.js';
import { type RefusalStage, refusalReason } from './refusal-reason.js';

/** Default cap on streams from one client address: generous, as offices and mobile carriers NAT. */
export const DEFAULT_MAX_STREAMS_PER_ADDRESS = 1_000;

/** Caps on open event streams (`HeraldFactory.create(module, { limits })`). */
export interface StreamLimits {
  /**
   * Open streams in the whole process; past it a new stream is answered 503 with `Retry-After`.
   * Default: the open-files limit (`ulimit -n`) minus 10% (at least 256) headroom.
   */
  maxStreams?: number;
  /** Open streams from one client address; past it 429 with `Retry-After`. Default 1,000. */
  maxStreamsPerAddress?: number;
  /** `Retry-After` (seconds) on those answers. Default 5. */
  retryAfterSeconds?: number;
  /**
   * The client address a request counts against. Default: `request.ip`, the client address the
   * app's `trustProxy` setting gives (the socket's peer address unless proxies are trusted). An
   * override for what `trustProxy` cannot express (e.g. a `CF-Connecting-IP` header).
   */
  addressOf?: (req: IncomingMessage) => string;
}

/** {@link StreamLimits} with every default filled in. */
export type ResolvedStreamLimits = Required<StreamLimits>;

/** Fills in the defaults of {@link StreamLimits}; `clientAddress` is the app's `request.ip`. */
export function resolveStreamLimits(
  limits: StreamLimits = {},
  clientAddress: (req: IncomingMessage) => string = (req) => req.socket.remoteAddress ?? '',
): ResolvedStreamLimits {
  return {
    maxStreams: limits.maxStreams ?? defaultMaxStreams(),
    maxStreamsPerAddress: limits.maxStreamsPerAddress ?? DEFAULT_MAX_STREAMS_PER_ADDRESS,
    retryAfterSeconds: limits.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
    addressOf: limits.addressOf ?? clientAddress,
  };
}

/**
 * Counts open streams, in total and per client address, and refuses one past either cap before
 * it starts. A slot is taken when the stream is asked for and given back when it closes (or fails
 * to start), so the counts cannot drift however a stream ends.
 */
export class StreamLimiter implements SseOpener, RefusalSource {
  readonly #inner: Pick<SseServer, 'open' | 'onStreamClose'>;
  readonly #limits: ResolvedStreamLimits;
  readonly #perAddress = new Map<string, number>();
  // The address each counted request was charged to (a destroyed socket no longer knows its peer).
  readonly #charged = new WeakMap<IncomingMessage, string>();
  #open = 0;
  #closed = false;
  // The limiter's own refusals, so the route's report of them is counted under the cap's name.
  readonly #mine = new WeakMap<object, StreamRefusalReason>();
  #refusedListeners: Array<(reason: StreamRefusalReason) => void> = [];

  constructor(inner: Pick<SseServer, 'open' | 'onStreamClose'>, limits: ResolvedStreamLimits) {
    this.#inner = inner;
    this.#limits = limits;
    // One listener for every stream, rather than a callback held by each connection.
    inner.onStreamClose((conn) => this.#releaseFor(conn.request));
  }

  /** Streams counted now (open or starting). */
  get size(): number {
    return this.#open;
  }

  /** Addresses with at least one stream counted (stays bounded: empty entries are dropped). */
  get addresses(): number {
    return this.#perAddress.size;
  }

  /** Refuses every stream from now on (`CLOSED`, answered 503): the app is shutting down. */
  close(): void {
    this.#closed = true;
  }

  /** Opens a stream through the engine, or throws a 503/429 `RetryLaterException` first. */
  open(
    req: IncomingMessage,
    res: ServerResponse,
    source: unknown,
    options: SseStreamOptions,
  ): SseConnection | Promise<SseConnection> {
    if (this.#closed) throw new HeraldError('CLOSED', 'the application is shutting down');
    const { maxStreams, maxStreamsPerAddress, retryAfterSeconds, addressOf } = this.#limits;
    if (this.#open >= maxStreams) {
      const err = new RetryLaterException(503, 'Too many open event streams', retryAfterSeconds);
      this.#mine.set(err, 'max-streams');
      throw err;
    }
    const address = addressOf(req);
    const mine = this.#perAddress.get(address) ?? 0;
    if (mine >= maxStreamsPerAddress) {
      const err = new RetryLaterException(
        429,
        'Too many event streams from this address',
        retryAfterSeconds,
      );
      this.#mine.set(err, 'max-streams-per-address');
      throw err;
    }
    this.#open++;
    this.#perAddress.set(address, mine + 1);
    this.#charged.set(req, address);
    // A started stream gives its slot back through onStreamClose; one that fails to start, here.
    try {
      const opened = this.#inner.open(req, res, source, options);
      if (opened instanceof Promise) {
        return opened.catch((err: unknown) => {
          this.#releaseFor(req);
          throw err;
        });
      }
      return opened;
    } catch (err) {
      this.#releaseFor(req);
      throw err;
    }
  }

  /**
   * Calls `listener` with the reason of every stream request answered with an error instead of a
   * stream (see `STREAM_REFUSAL_REASONS`). Returns a function that removes it.
   */
  onRefused(listener: (reason: StreamRefusalReason) => void): () => void {
    this.#refusedListeners.push(listener);
    return () => {
      this.#refusedListeners = this.#refusedListeners.filter((l) => l !== listener);
    };
  }

  /** @internal A stream request failed at `stage` (the route reports every one). */
  refused(stage: RefusalStage, err: unknown): void {
    if (this.#refusedListeners.length === 0) return;
    const own = typeof err === 'object' && err !== null ? this.#mine.get(err) : undefined;
    const reason = own ?? refusalReason(stage, err);
    for (const listener of this.#refusedListeners) listener(reason);
  }

  #releaseFor(req: IncomingMessage): void {
    const address = this.#charged.get(req);
    if (address === undefined) return;
    this.#charged.delete(req);
    this.#release(address);
  }

  #release(address: string): void {
    this.#open--;
    const left = (this.#perAddress.get(address) ?? 1) - 1;
    if (left === 0) this.#perAddress.delete(address);
    else this.#perAddress.set(address, left);
  }
}
