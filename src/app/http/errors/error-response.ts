import type { ServerResponse } from 'node:http';
import { HERALD_ERROR_STATUS, isHeraldError } from '../../../errors.js';
import type { ErrorBody } from './http-exception.js';
import { HttpException, statusText } from './http-exception.js';
import { sendJson } from '../send-json.js';
import type { LoggerLike } from '../server/logger.js';
import { DEFAULT_RETRY_AFTER_SECONDS, RetryLaterException } from './retry-later-exception.js';

const INTERNAL: ErrorBody = { statusCode: 500, message: 'Internal server error' };

/** What one error answers with, and whether it must be logged (it may hold internals). */
interface Mapped {
  body: ErrorBody;
  log: boolean;
}

function mapError(err: unknown): Mapped {
  if (err instanceof HttpException) return { body: err.getBody(), log: false };
  if (isHeraldError(err)) {
    const status: number = HERALD_ERROR_STATUS[err.code];
    if (status !== 500) {
      // A 4xx tells the caller what to fix; a 5xx message is the server's business, not the caller's.
      const message = status < 500 ? err.message : statusText(status);
      return {
        body: { statusCode: status, message, error: statusText(status) },
        log: status >= 500,
      };
    }
  }
  return { body: INTERNAL, log: true };
}

/**
 * The status and body an error answers with: an `HttpException`'s own; a `HeraldError` by
 * {@link HERALD_ERROR_STATUS} (its message only for a 4xx); anything else a 500 that hides the
 * message. What is hidden is logged instead.
 */
export function errorBody(err: unknown, logger: LoggerLike): ErrorBody {
  const { body, log } = mapError(err);
  if (log) logger.error('Unhandled error', err);
  return body;
}

/**
 * What an `@Sse` stream's `event: error` frame carries for an error after the first byte: the same
 * status and message as {@link errorBody} would answer. It does not log: the stream reports the
 * same error to its `onError`, which does.
 */
export function describeError(err: unknown): { statusCode: number; message: string } {
  const { body } = mapError(err);
  const message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message);
  return { statusCode: body.statusCode, message };
}

/** `Retry-After` for an answer that asks the client to come back later, else nothing. */
function retryAfterOf(err: unknown, status: number): string | undefined {
  if (err instanceof RetryLaterException) return String(err.retryAfter);
  if (isHeraldError(err) && status === 503) return String(DEFAULT_RETRY_AFTER_SECONDS);
  return undefined;
}

/**
 * Answers `err` as JSON. If headers already went out, the response cannot carry an error any more:
 * the socket is destroyed so the client sees a truncated response rather than a false success.
 */
export function sendError(
  res: ServerResponse,
  err: unknown,
  logger: LoggerLike,
  extraHeaders?: Record<string, string>,
): void {
  const body = errorBody(err, logger);
  if (res.headersSent || res.writableEnded) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  const retryAfter = retryAfterOf(err, body.statusCode);
  const headers =
    retryAfter === undefined ? extraHeaders : { ...extraHeaders, 'Retry-After': retryAfter };
  sendJson(res, body.statusCode, body, headers);
}
