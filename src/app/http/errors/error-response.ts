import type { IncomingMessage, ServerResponse } from 'node:http';
import { HERALD_ERROR_STATUS, type HeraldError, isHeraldError } from '../../../errors.js';
import type { ErrorBody } from './http-exception.js';
import { HttpException, statusText } from './http-exception.js';
import { sendJson } from '../send-json.js';
import type { LoggerLike } from '../server/logger.js';
import { DEFAULT_RETRY_AFTER_SECONDS, RetryLaterException } from './retry-later-exception.js';

const INTERNAL: ErrorBody = { statusCode: 500, message: 'Internal server error' };

/**
 * What one error answers with, and how it is logged: `stack` for faults (the message is hidden
 * from the caller), `line` for an expected 503 (the app closing, Redis down: one short line per
 * request, no stack), `none` for what the caller is told itself (4xx, `HttpException`).
 */
interface Mapped {
  body: ErrorBody;
  log: 'stack' | 'line' | 'none';
}

/** Answers that report a state of the service, not a bug: their stack would say nothing. */
const EXPECTED_UNAVAILABLE = new Set(['CLOSED', 'BROKER_UNAVAILABLE']);

function mapError(err: unknown): Mapped {
  if (err instanceof HttpException) return { body: err.getBody(), log: 'none' };
  if (isHeraldError(err)) {
    const status: number = HERALD_ERROR_STATUS[err.code];
    if (status !== 500) {
      // A 4xx tells the caller what to fix; a 5xx message is the server's business, not the caller's.
      const message = status < 500 ? err.message : statusText(status);
      const log = status < 500 ? 'none' : EXPECTED_UNAVAILABLE.has(err.code) ? 'line' : 'stack';
      return { body: { statusCode: status, message, error: statusText(status) }, log };
    }
  }
  return { body: INTERNAL, log: 'stack' };
}

/** `GET /path` of the request `res` answers: never the query string (tokens) nor headers. */
function requestLabel(res: ServerResponse): string {
  const req = res.req as IncomingMessage | undefined;
  if (req === undefined) return 'request';
  return `${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0]}`;
}

/**
 * The status and body an error answers with: an `HttpException`'s own; a `HeraldError` by
 * {@link HERALD_ERROR_STATUS} (its message only for a 4xx); anything else a 500 that hides the
 * message. What is hidden is logged instead, naming the request (`GET /news 500`).
 */
export function errorBody(err: unknown, logger: LoggerLike, res?: ServerResponse): ErrorBody {
  const { body, log } = mapError(err);
  if (log === 'none') return body;
  const head = `${res ? requestLabel(res) : 'request'} ${body.statusCode}`;
  if (log === 'stack') logger.error(`${head}: unhandled error`, err);
  else {
    const e = err as HeraldError;
    logger.error(`${head}: ${e.code}: ${e.message}`);
  }
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
  const body = errorBody(err, logger, res);
  if (res.headersSent || res.writableEnded) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  const retryAfter = retryAfterOf(err, body.statusCode);
  const headers =
    retryAfter === undefined ? extraHeaders : { ...extraHeaders, 'Retry-After': retryAfter };
  sendJson(res, body.statusCode, body, headers);
}
