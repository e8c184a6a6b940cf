import type { ServerResponse } from 'node:http';
import type { ErrorBody } from './http-exception.js';
import { HttpException } from './http-exception.js';
import type { LoggerLike } from './logger.js';

const INTERNAL: ErrorBody = { statusCode: 500, message: 'Internal server error' };

/**
 * The status and body an error answers with: an `HttpException`'s own; anything else a 500 that
 * hides the message (it is logged instead, as it may hold internals).
 */
export function errorBody(err: unknown, logger: LoggerLike): ErrorBody {
  if (err instanceof HttpException) return err.getBody();
  logger.error('Unhandled error', err);
  return INTERNAL;
}

/**
 * What an `@Sse` stream's `event: error` frame carries for an error after the first byte: an
 * `HttpException`'s status and message, else 500 and a generic message. It does not log: the stream
 * reports the same error to its `onError`, which does.
 */
export function describeError(err: unknown): { statusCode: number; message: string } {
  const body = err instanceof HttpException ? err.getBody() : INTERNAL;
  const message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message);
  return { statusCode: body.statusCode, message };
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
  sendJson(res, body.statusCode, body, extraHeaders);
}

/** Writes a complete JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  extraHeaders?: Record<string, string>,
): void {
  const text = JSON.stringify(value) ?? '';
  res.statusCode = status;
  if (extraHeaders) for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
  if (!res.hasHeader('Content-Type'))
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
