import { HERALD_ERROR_STATUS, isHeraldError } from '../errors.js';

// Reason phrases of the statuses a HeraldError maps to (HERALD_ERROR_STATUS).
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};
/** Seconds a 503 asks the client to wait (`Retry-After`), as Herald's app does. */
const RETRY_AFTER_SECONDS = '5';

/**
 * What an error after the first byte tells the client in its `event: error` frame: a HeraldError's
 * status, with its message only for a 4xx; anything else a generic 500.
 */
export function describeRefusal(err: unknown): { statusCode: number; message: string } {
  if (!isHeraldError(err)) return { statusCode: 500, message: 'Internal server error' };
  const statusCode: number = HERALD_ERROR_STATUS[err.code];
  const message = statusCode < 500 ? err.message : (STATUS_TEXT[statusCode] ?? 'Error');
  return { statusCode, message };
}

/**
 * The answer to a refusal before the stream, for a framework's error handler: a `HeraldError`
 * (`FORBIDDEN_TOPIC` from the hub's `authorize`, `TOPIC_FULL`, `INVALID_TOPIC`, `CLOSED`, a run's
 * `RUN_NOT_FOUND` 404 and `RUN_EXISTS` 409, ...) as
 * JSON `{ statusCode, message, error }` with its status from `HERALD_ERROR_STATUS` (a 5xx hides
 * the message; a 503 carries `Retry-After`). Undefined for any other error.
 *
 * @example
 * app.onError((err, c) => refusalResponse(err) ?? c.text('Internal Server Error', 500));
 */
export function refusalResponse(err: unknown): Response | undefined {
  if (!isHeraldError(err)) return undefined;
  const { statusCode, message } = describeRefusal(err);
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
  if (statusCode === 503) headers['Retry-After'] = RETRY_AFTER_SECONDS;
  const error = STATUS_TEXT[statusCode] ?? 'Error';
  return new Response(JSON.stringify({ statusCode, message, error }), {
    status: statusCode,
    headers,
  });
}
