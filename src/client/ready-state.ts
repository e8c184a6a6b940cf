/** The states of a stream, with `EventSource`'s numbers (WHATWG HTML 9.2.2). */
export const ReadyState = {
  /** Connecting, or waiting to reconnect. */
  CONNECTING: 0,
  /** The response is open and events flow. */
  OPEN: 1,
  /** Closed for good: `close()`, the signal, a 204, a fatal error, or the end with `retry: false`. */
  CLOSED: 2,
} as const;

/** One of the {@link ReadyState} values. */
export type ReadyState = (typeof ReadyState)[keyof typeof ReadyState];
