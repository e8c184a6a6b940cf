import type { TestEvent } from './test-event.js';

/** How long `take()`, `next()` and `all()` wait by default, in ms. */
export const DEFAULT_WAIT_MS = 5_000;

/** Options of `take()`, `next()` and `all()`. */
export interface WaitOptions {
  /** Milliseconds to wait before failing with what did arrive. Default 5000. */
  timeout?: number;
}

/** @internal Where `sse()` delivers what the response brings. */
export interface StreamSink<Data> {
  event(event: TestEvent<Data>): void;
  /** The response is over; `why` says how, for error messages. */
  end(why: string): void;
  /** Something the test must hear about (e.g. data that is not JSON); ends the stream. */
  fail(error: Error): void;
}

/** @internal What `sse()` knows once the response head (and a non-stream body) has arrived. */
export interface StreamInit<Data> {
  label: string;
  status: number;
  headers: Headers;
  body: unknown;
  /** Set when the response is not an event stream: every wait fails with it. */
  refusal?: Error;
  start?: (sink: StreamSink<Data>) => void;
  close(): Promise<void>;
}

const LISTED = 20;

/**
 * One SSE response opened by `sse()`: its status, headers and (for a refusal) JSON body, and the
 * events it brings, buffered from the first byte so nothing is lost before a test asks. Read
 * them with `take(n)`, `next()`, `all()` or `for await`; each event is handed out once.
 *
 * Waits fail with an error that names the request and lists the events that did arrive, or the
 * status and body when the answer was not an event stream.
 */
export class TestEventStream<Data = string> implements AsyncIterable<TestEvent<Data>> {
  /** The response's status code. */
  readonly status: number;
  /** The response's headers. */
  readonly headers: Headers;
  /**
   * The body of a response that is not an event stream (a 4xx or 5xx, a 204): parsed JSON when
   * the Content-Type says JSON, else the text; undefined when there is none or it is a stream.
   */
  readonly body: unknown;
  readonly #label: string;
  readonly #close: () => Promise<void>;
  readonly #queue: TestEvent<Data>[] = [];
  readonly #received: TestEvent<Data>[] = [];
  readonly #wakers = new Set<() => void>();
  #ended: string | undefined;
  #failure: Error | undefined;

  /** @internal Made by `sse()`. */
  constructor(init: StreamInit<Data>) {
    this.#label = init.label;
    this.status = init.status;
    this.headers = init.headers;
    this.body = init.body;
    this.#close = init.close;
    if (init.refusal) {
      this.#failure = init.refusal;
      this.#ended = 'refused';
    }
    init.start?.({
      event: (event) => {
        if (this.#ended !== undefined) return;
        this.#queue.push(event);
        this.#received.push(event);
        this.#wake();
      },
      end: (why) => this.#end(why),
      fail: (error) => {
        this.#failure ??= error;
        this.#end('failed');
      },
    });
  }

  /** Every event received so far, including those already taken. */
  get received(): readonly TestEvent<Data>[] {
    return this.#received;
  }

  /** Whether the response is over (ended by the server, broken off, or closed by the test). */
  get ended(): boolean {
    return this.#ended !== undefined;
  }

  /**
   * The next `n` events. Fails when they have not all arrived within `timeout` or the stream ends
   * first, listing those that did (they stay unread for the next call).
   *
   * @example
   * const [first, second] = await stream.take(2, { timeout: 1000 });
   */
  async take(n: number, options: WaitOptions = {}): Promise<TestEvent<Data>[]> {
    const ms = options.timeout ?? DEFAULT_WAIT_MS;
    await this.#until(() => this.#queue.length >= n || this.#ended !== undefined, ms);
    if (this.#queue.length >= n) return this.#queue.splice(0, n);
    throw this.#shortfall(`take(${n})`, n, ms);
  }

  /** The next event (see `take()`). */
  async next(options: WaitOptions = {}): Promise<TestEvent<Data>> {
    return (await this.take(1, options))[0] as TestEvent<Data>;
  }

  /** Every event left until the server ends the stream; fails if it is still open after `timeout`. */
  async all(options: WaitOptions = {}): Promise<TestEvent<Data>[]> {
    const ms = options.timeout ?? DEFAULT_WAIT_MS;
    await this.#until(() => this.#ended !== undefined, ms);
    if (this.#failure) throw this.#failure;
    if (this.#ended !== undefined) return this.#queue.splice(0);
    throw this.#shortfall('all()', undefined, ms);
  }

  /**
   * Closes the connection (the server sees the client leave) and ends the stream; resolves once
   * the socket is closed. Events not yet read stay readable.
   */
  close(): Promise<void> {
    this.#end('closed by the test');
    return this.#close();
  }

  /** Yields events until the stream ends; breaking out of the loop closes the connection. */
  [Symbol.asyncIterator](): AsyncIterator<TestEvent<Data>> {
    return {
      next: async () => {
        await this.#until(() => this.#queue.length > 0 || this.#ended !== undefined, Infinity);
        const event = this.#queue.shift();
        if (event !== undefined) return { value: event, done: false };
        if (this.#failure) throw this.#failure;
        return { value: undefined, done: true };
      },
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }

  #end(why: string): void {
    if (this.#ended !== undefined) return;
    this.#ended = why;
    this.#wake();
  }

  #wake(): void {
    for (const waker of [...this.#wakers]) waker();
  }

  /** Resolves when `ready()` holds or after `ms` (no timer for Infinity). */
  #until(ready: () => boolean, ms: number): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wakers.delete(check);
        resolve();
      };
      const check = (): void => {
        if (ready()) done();
      };
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      this.#wakers.add(check);
    });
  }

  #shortfall(call: string, wanted: number | undefined, ms: number): Error {
    if (this.#failure) return this.#failure;
    const got = this.#queue;
    const count =
      wanted === undefined ? `${got.length} events` : `${got.length} of ${wanted} events`;
    const when =
      this.#ended === undefined ? `within ${ms} ms (the stream is still open)` : `(${this.#ended})`;
    const list = got
      .slice(0, LISTED)
      .map((event) => `\n  ${JSON.stringify(event)}`)
      .join('');
    const more = got.length > LISTED ? `\n  … and ${got.length - LISTED} more` : '';
    const before = this.#received.length - got.length;
    const taken = before > 0 ? ` (${before} taken before)` : '';
    return new Error(
      `${this.#label}: ${call} got ${count}${taken} ${when}${got.length ? ':' : ''}${list}${more}`,
    );
  }
}
