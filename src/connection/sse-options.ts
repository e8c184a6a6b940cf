/** Options of one SSE response; per-app defaults are merged under per-route ones. */
export interface SseStreamOptions {
  /** Status code of the stream response (default 200; `@HttpCode`). */
  status?: number;
  /** Extra response headers (`@Header`); cannot override Content-Type. */
  headers?: Record<string, string>;
  /** Heartbeat comment interval in ms, or `false` for none. Default 15,000. */
  heartbeat?: number | false;
  /** `retry:` (ms) sent first on connect, so clients reconnect at that delay. Default: none sent. */
  retry?: number;
  /**
   * Cap on bytes accepted but not yet taken by the kernel, per connection. A client whose unsent
   * bytes stay over it without going down for `maxStallMs` is closed and its producer cancelled (it
   * reconnects with its Last-Event-ID); one that reads is never cut for a burst it is taking. A
   * push source that queues more than 4 x the cap on top of what waits is cut at once (memory
   * bound). Hub subscriptions never get there: they stop taking live events at a fraction of the
   * cap and catch up from the log at the client's pace. Default 1 MiB.
   */
  maxPendingBytes?: number;
  /** How long unsent bytes over `maxPendingBytes` may go without shrinking. Default 5,000 ms. */
  maxStallMs?: number;
  /** Maps an error raised after the first byte to what the `event: error` frame carries. */
  describeError?: (err: unknown) => { statusCode: number; message: string };
  /** Told of every error the stream swallows (producer errors, slow-consumer closes), for logging. */
  onError?: (err: unknown) => void;
}
