/** Where a producer delivers what its source yields. Implemented by a connection (or a test). */
export interface ProducerSink {
  /** One item from the source (normally a MessageEvent). */
  next(item: unknown): void;
  /** The source failed; nothing more follows. */
  error(err: unknown): void;
  /** The source ended; nothing more follows. */
  complete(): void;
  /** False while the consumer is saturated; pull-based sources are not pulled until it is true. */
  readonly ready: boolean;
  /** Calls `fn` once, when `ready` turns true again (or at once if it is). */
  whenReady(fn: () => void): void;
}

/** A running source. `cancel()` stops it at once and is safe to call more than once. */
export interface Producer {
  cancel(): void;
}
