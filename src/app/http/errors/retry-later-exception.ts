import { HttpException, statusText } from './http-exception.js';

/** `Retry-After` sent with 429/503 answers when nothing more precise is known (seconds). */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * A 429 or 503 that also tells the client when to come back (`Retry-After`, RFC 9110 10.2.3).
 * Stream limits answer with it before a stream starts; `herald/client` waits that long before it
 * reconnects (a browser's `EventSource` does not reconnect after a non-200 answer at all).
 *
 * @example
 * throw new RetryLaterException(503, 'Too many open streams', 10);
 */
export class RetryLaterException extends HttpException {
  /** Seconds the client should wait before trying again. */
  readonly retryAfter: number;

  constructor(status: 429 | 503, message?: string, retryAfter = DEFAULT_RETRY_AFTER_SECONDS) {
    super({ message: message ?? statusText(status), error: statusText(status) }, status);
    this.retryAfter = retryAfter;
  }
}
