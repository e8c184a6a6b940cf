import type { ParsedEvent } from '../wire/parse-event-stream.js';
import { type BackoffSettings, reconnectDelay, resolveBackoff } from './backoff.js';
import { type AttemptFailure, type AttemptOutcome, attempt } from './attempt.js';
import { HeraldClientError } from './client-error.js';
import type { Consumer, ConsumerHost } from './consumer.js';
import { createEventIterator } from './event-iterator.js';
import { safely } from './listener-error.js';
import { type CreateParser, loadParser } from './load-parser.js';
import { ReadyState } from './ready-state.js';
import { type StreamObserver, type StreamSubscription, subscribeObserver } from './subscription.js';
import type { ConnectOptions, EventMap, EventOf, ServerEvent } from './types.js';

/** What `onOpen` listeners receive: the response's status and headers (its body is the stream). */
export interface OpenInfo {
  readonly status: number;
  readonly headers: Headers;
}

const symbolObservable = (Symbol as { observable?: symbol }).observable;

/**
 * The terminal event of a Herald run (`RUN_END_EVENT` on the server; the client imports nothing
 * server-side): dispatched like any event, then the stream closes instead of reconnecting.
 */
const RUN_END_EVENT = 'herald:end';

/**
 * One Server-Sent Events connection that reconnects, made by {@link connect}. Read it with
 * `for await`, `on(type, fn)`, or as an Observable (`rxjs.from(stream)`); stop it with `close()`.
 *
 * - Lifecycle hooks are separate from server events (a server may send `event: error`):
 *   `onOpen(fn)` after every successful (re)connection, `onError(fn)` for every failure; the error's
 *   `fatal` says whether the stream closed, `retryIn` when it reconnects.
 * - Breaking out of `for await`, or unsubscribing, closes the stream when no other iterator or
 *   subscription is left (so `from(connect(url)).pipe(take(1))` does not leak a connection).
 *   Listeners added with `on()` never close it.
 * - Events are delivered to whoever is listening when they arrive; nothing is buffered before the
 *   first iterator or listener attaches.
 */
export class EventStream<Events extends EventMap = Record<string, string>>
  implements AsyncIterable<EventOf<Events>>
{
  static readonly CONNECTING = ReadyState.CONNECTING;
  static readonly OPEN = ReadyState.OPEN;
  static readonly CLOSED = ReadyState.CLOSED;

  /** The URL the stream connects to. */
  readonly url: string;
  /** Whether cookies are sent cross-origin. */
  readonly withCredentials: boolean;

  readonly #options: ConnectOptions;
  readonly #backoff: BackoffSettings | false;
  readonly #fetch: typeof fetch;
  #readyState: ReadyState = ReadyState.CONNECTING;
  #lastEventId: string;
  #serverRetry: number | undefined;
  #failures = 0;
  /** Set once a response opened when `resumeUrl` is given: later attempts GET it instead. */
  #resuming = false;
  #dispatching = false;
  #finalError: HeraldClientError | undefined;
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wake: (() => void) | undefined;
  readonly #listeners = new Map<string, Set<(event: never) => void>>();
  readonly #openListeners = new Set<(info: OpenInfo) => void>();
  readonly #errorListeners = new Set<(error: HeraldClientError) => void>();
  readonly #consumers = new Set<Consumer<EventOf<Events>>>();
  /** Where iterators and subscriptions attach; the last one to leave closes the stream. */
  readonly #host: ConsumerHost<EventOf<Events>> = {
    attach: (consumer) => {
      if (this.#closed) consumer.end(this.#finalError);
      else this.#consumers.add(consumer);
    },
    detach: (consumer) => {
      if (this.#consumers.delete(consumer) && this.#consumers.size === 0) this.close();
    },
  };
  readonly #onAbort = (): void => {
    const reason = this.#options.signal?.reason;
    this.#finish(
      new HeraldClientError('ABORTED', 'The signal aborted the stream', {
        fatal: true,
        cause: reason,
      }),
    );
  };

  constructor(url: string | URL, options: ConnectOptions = {}) {
    this.url = String(url);
    this.withCredentials = options.withCredentials === true;
    this.#options = options;
    this.#backoff = options.retry === false ? false : resolveBackoff(options.retry);
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#lastEventId = options.lastEventId ?? '';
    const { signal } = options;
    if (signal?.aborted) queueMicrotask(this.#onAbort);
    else signal?.addEventListener('abort', this.#onAbort, { once: true });
    void this.#run();
  }

  /** `CONNECTING` (0, also while waiting to reconnect), `OPEN` (1) or `CLOSED` (2). */
  get readyState(): ReadyState {
    return this.#readyState;
  }

  /** The last event ID received (sent as `Last-Event-ID` on reconnection); `''` when none or reset. */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /**
   * Listens to one event type (`message` for events without `event:`). Returns the unsubscribe.
   * @example
   * const off = stream.on('alert', (e) => console.log(e.data.level, e.id));
   */
  on<K extends keyof Events & string>(
    type: K,
    listener: (event: ServerEvent<K, Events[K]>) => void,
  ): () => void {
    let set = this.#listeners.get(type);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    const added = listener as (event: never) => void;
    set.add(added);
    return () => {
      set.delete(added);
    };
  }

  /** Called after every successful (re)connection. Returns the unsubscribe. */
  onOpen(listener: (info: OpenInfo) => void): () => void {
    this.#openListeners.add(listener);
    return () => this.#openListeners.delete(listener);
  }

  /** Called for every failure, fatal or not (see `error.fatal`, `error.retryIn`). Returns the unsubscribe. */
  onError(listener: (error: HeraldClientError) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /** Closes the stream for good: aborts the request, cancels a pending reconnection, ends consumers. */
  close(): void {
    this.#finish(undefined);
  }

  /** Iterates over every event until the stream closes (throws the fatal error, if any). */
  [Symbol.asyncIterator](): AsyncIterableIterator<EventOf<Events>> {
    return createEventIterator(this.#host);
  }

  /**
   * Observable interop (TC39 proposal, RxJS): `next` per event, `complete` on close, `error` with a
   * fatal error.
   */
  subscribe(
    observer?: StreamObserver<EventOf<Events>> | ((event: EventOf<Events>) => void),
  ): StreamSubscription {
    const normalized = typeof observer === 'function' ? { next: observer } : (observer ?? {});
    return subscribeObserver(this.#host, normalized);
  }

  /** Observable interop key used by RxJS when `Symbol.observable` is not defined. */
  '@@observable'(): this {
    return this;
  }

  /** A getter, so TypeScript does not narrow the state across the awaits that change it. */
  get #closed(): boolean {
    return this.#readyState === ReadyState.CLOSED;
  }

  async #run(): Promise<void> {
    let createParser: CreateParser;
    try {
      createParser = await loadParser();
    } catch (error) {
      this.#finish(error as HeraldClientError);
      return;
    }
    while (!this.#closed) {
      const outcome = await this.#attempt(createParser);
      if (this.#closed || outcome.kind === 'closed') return;
      if (outcome.kind === 'done') break;
      if (outcome.kind === 'fatal' || (this.#backoff === false && outcome.kind === 'retry')) {
        this.#finish(this.#error(outcome, undefined));
        return;
      }
      if (this.#backoff === false) break;
      this.#readyState = ReadyState.CONNECTING;
      if (outcome.kind === 'ended') {
        await this.#sleep(
          reconnectDelay(this.#backoff, { failures: 0, serverRetry: this.#serverRetry }),
        );
        continue;
      }
      this.#failures += 1;
      const delay = reconnectDelay(this.#backoff, {
        failures: this.#failures,
        serverRetry: this.#serverRetry,
        retryAfter: outcome.retryAfter,
      });
      this.#emitError(this.#error(outcome, delay));
      await this.#sleep(delay);
    }
    this.#finish(undefined);
  }

  #attempt(createParser: CreateParser): Promise<AttemptOutcome> {
    const controller = new AbortController();
    this.#controller = controller;
    const resumeUrl = this.#options.resumeUrl;
    const resuming = this.#resuming && resumeUrl !== undefined;
    return attempt({
      url: resuming ? String(resumeUrl) : this.url,
      options: resuming ? { ...this.#options, method: 'GET', body: undefined } : this.#options,
      fetch: this.#fetch,
      lastEventId: this.#lastEventId,
      signal: controller.signal,
      createParser,
      isClosed: () => this.#closed,
      opened: (response) => {
        this.#failures = 0;
        this.#resuming = true;
        this.#readyState = ReadyState.OPEN;
        const info = { status: response.status, headers: response.headers };
        for (const listener of this.#openListeners) safely(listener, info);
      },
      onEvent: (event) => this.#dispatch(event),
      onRetry: (ms) => {
        this.#serverRetry = ms;
      },
      onLastEventId: (id) => {
        this.#lastEventId = id;
      },
    });
  }

  /** HTML 9.2.6 "dispatch the event", for a message the parser found complete and non-empty. */
  #dispatch(message: ParsedEvent): void {
    if (this.#readyState === ReadyState.CLOSED) return;
    // The last event ID persists across events until the server sends another `id:` (even empty);
    // the parser tracks it, also through blocks without data.
    this.#lastEventId = message.id;
    const retry = message.retry;
    let data: unknown = message.data;
    if (this.#options.json === true) {
      try {
        data = JSON.parse(message.data);
      } catch (cause) {
        const text = 'Event data is not valid JSON; the event was skipped';
        this.#emitError(new HeraldClientError('INVALID_JSON', text, { fatal: false, cause }));
        return;
      }
    }
    const type = message.type;
    const base = { type, data, id: this.#lastEventId };
    const event = (retry === undefined ? base : { ...base, retry }) as EventOf<Events>;
    // Like EventTarget: everyone listening when the event arrived gets it, even if a listener closes
    // the stream meanwhile; consumers are ended only after that.
    const listeners = [...(this.#listeners.get(type) ?? [])] as ((
      event: EventOf<Events>,
    ) => void)[];
    const consumers = [...this.#consumers];
    this.#dispatching = true;
    try {
      for (const listener of listeners) safely(listener, event);
      for (const consumer of consumers) {
        if (this.#consumers.has(consumer)) safely((e) => consumer.event(e), event);
      }
      // The run is over: reconnecting would only be answered 204.
      if (type === RUN_END_EVENT) this.#finish(undefined);
    } finally {
      this.#dispatching = false;
      if (this.#closed) this.#endConsumers();
    }
  }

  #error(failure: AttemptFailure, retryIn: number | undefined): HeraldClientError {
    const { code, message, status, cause } = failure;
    return new HeraldClientError(code, message, {
      status,
      cause,
      fatal: retryIn === undefined,
      retryIn,
    });
  }

  #emitError(error: HeraldClientError): void {
    for (const listener of this.#errorListeners) safely(listener, error);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#wake = undefined;
        resolve();
      }, ms);
    });
  }

  #finish(error: HeraldClientError | undefined): void {
    if (this.#readyState === ReadyState.CLOSED) return;
    this.#readyState = ReadyState.CLOSED;
    this.#finalError = error;
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    this.#controller?.abort();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#wake?.();
    this.#wake = undefined;
    if (error !== undefined) this.#emitError(error);
    if (!this.#dispatching) this.#endConsumers();
  }

  #endConsumers(): void {
    const consumers = [...this.#consumers];
    this.#consumers.clear();
    for (const consumer of consumers) safely((e) => consumer.end(e), this.#finalError);
  }
}

if (typeof symbolObservable === 'symbol') {
  Object.defineProperty(EventStream.prototype, symbolObservable, {
    value(this: EventStream) {
      return this;
    },
    configurable: true,
  });
}
