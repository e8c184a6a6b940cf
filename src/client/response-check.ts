import type { HeraldClientErrorCode } from './client-error.js';
import { parseRetryAfter } from './backoff.js';

/** What to do with a response: read it, end quietly, retry later, or give up. */
export type ResponseVerdict =
  | { readonly kind: 'open' }
  | { readonly kind: 'done' }
  | {
      readonly kind: 'retry' | 'fatal';
      readonly code: HeraldClientErrorCode;
      readonly message: string;
      readonly status?: number;
      readonly retryAfter?: number | undefined;
    };

/**
 * Statuses worth retrying: the server may answer differently later (408, 425, 429, and 5xx except
 * 501, 505 and 511, which will not change by waiting). Every other non-200 status closes the stream.
 */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 425 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505 && status !== 511;
}

/** True when a Content-Type's essence is `text/event-stream` (parameters such as charset ignored). */
export function isEventStreamType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const essence = contentType.split(';', 1)[0] ?? '';
  return essence.trim().toLowerCase() === 'text/event-stream';
}

/**
 * Classifies a response (HTML 9.2.3, "announce the connection" / "fail the connection", plus
 * backoff): 200 with `text/event-stream` opens; 204 ends the stream without an error (the server's
 * way to say "stop reconnecting"); a retryable status retries, honouring `Retry-After`; anything
 * else, and a 200 with another Content-Type, is fatal.
 */
export function checkResponse(response: Response): ResponseVerdict {
  const { status } = response;
  if (status === 204) return { kind: 'done' };
  if (status !== 200) {
    const kind = isRetryableStatus(status) ? 'retry' : 'fatal';
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    const message = `The server answered ${status}${response.statusText ? ` ${response.statusText}` : ''}`;
    return { kind, code: 'HTTP_STATUS', message, status, retryAfter };
  }
  const type = response.headers.get('content-type');
  if (!isEventStreamType(type)) {
    const message = `Expected Content-Type text/event-stream, got ${type ?? 'none'}`;
    return { kind: 'fatal', code: 'CONTENT_TYPE', message, status };
  }
  return { kind: 'open' };
}
