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
   * Cap on bytes accepted but not yet taken by the kernel, per connection. Past it the connection is
   * closed and its producer cancelled (the client reconnects with its Last-Event-ID). Default 1 MiB.
   */
  maxPendingBytes?: number;
  /** Maps an error raised after the first byte to what the `event: error` frame carries. */
  describeError?: (err: unknown) => { statusCode: number; message: string };
  /** Told of every error the stream swallows (producer errors, slow-consumer closes), for logging. */
  onError?: (err: unknown) => void;
}
