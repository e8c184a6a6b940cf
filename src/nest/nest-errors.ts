import { STATUS_CODES } from 'node:http';
import { RetryLaterException } from '../app/http/errors/retry-later-exception.js';
import { HERALD_ERROR_STATUS, isHeraldError } from '../errors.js';
import { common } from './nest-peers.js';

/** `Retry-After` (s) on a 503 that knows no better: as Herald's own app answers. */
const RETRY_AFTER_SECONDS = 5;

/** A refusal as Nest answers it, and the `Retry-After` it carries, if any. */
export interface Refusal {
  exception: unknown;
  retryAfter: number | undefined;
}

/**
 * Herald's refusals before the first byte, as Nest `HttpException`s, so Nest's exception filters
 * answer them (403 `FORBIDDEN_TOPIC`, 400 `INVALID_TOPIC`, 503 `TOPIC_FULL`/`CLOSED`/
 * `BROKER_UNAVAILABLE`, 429/503 stream caps) rather than a 500. Anything else goes on unchanged.
 */
export function toRefusal(err: unknown): Refusal {
  if (err instanceof RetryLaterException) {
    return {
      exception: httpException(err.getStatus(), undefined, err),
      retryAfter: err.retryAfter,
    };
  }
  if (isHeraldError(err)) {
    const status: number = HERALD_ERROR_STATUS[err.code];
    if (status === 500) return { exception: err, retryAfter: undefined };
    // A 4xx tells the caller what to fix; a 5xx message is the server's business.
    const message = status < 500 ? err.message : undefined;
    const retryAfter = status === 503 ? RETRY_AFTER_SECONDS : undefined;
    return { exception: httpException(status, message, err), retryAfter };
  }
  return { exception: err, retryAfter: undefined };
}

function httpException(status: number, message: string | undefined, cause: unknown) {
  const error = STATUS_CODES[status] ?? 'Error';
  return new common.HttpException(
    { statusCode: status, message: message ?? error, error },
    status,
    { cause },
  );
}

/**
 * What an `event: error` frame carries for an error after the first byte: a Nest `HttpException`'s
 * status and message, a Herald refusal's, else a generic 500 (the real error goes to the log).
 */
export function describeStreamError(err: unknown): { statusCode: number; message: string } {
  const { exception } = toRefusal(err);
  if (exception instanceof common.HttpException) {
    const body = exception.getResponse();
    const message =
      typeof body === 'string'
        ? body
        : ((body as { message?: unknown }).message ?? exception.message);
    return {
      statusCode: exception.getStatus(),
      message: Array.isArray(message) ? message.join('; ') : String(message),
    };
  }
  return { statusCode: 500, message: 'Internal server error' };
}

const logger = new common.Logger('Herald');

/** Logs what a stream swallowed: slow consumers as warnings, deliberate HTTP errors not at all. */
export function logStreamError(err: unknown): void {
  if (isHeraldError(err, 'SLOW_CONSUMER')) logger.warn(err.message);
  else if (!(err instanceof common.HttpException)) {
    logger.error(
      `Event stream error: ${String(err)}`,
      err instanceof Error ? err.stack : undefined,
    );
  }
}
