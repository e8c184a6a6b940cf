import type { ConnectOptions } from './types.js';

/**
 * The `fetch` init of one attempt (HTML 9.2.2 and 9.2.3): `Accept: text/event-stream`, no caching,
 * credentials as `EventSource` sets them, and `Last-Event-ID` when the last event ID is not empty.
 */
export async function buildRequestInit(
  options: ConnectOptions,
  lastEventId: string,
  signal: AbortSignal,
): Promise<RequestInit> {
  const given = typeof options.headers === 'function' ? await options.headers() : options.headers;
  const headers = new Headers(given);
  headers.set('Accept', 'text/event-stream');
  if (lastEventId !== '') headers.set('Last-Event-ID', isomorphicUtf8(lastEventId));
  const init: RequestInit = {
    method: options.method ?? 'GET',
    headers,
    signal,
    cache: 'no-store',
    credentials: options.withCredentials ? 'include' : 'same-origin',
  };
  if (options.body !== undefined) init.body = options.body;
  return init;
}

/**
 * The spec sends the ID "encoded as UTF-8", but `Headers` only takes byte strings (code points up to
 * U+00FF) and throws on `…`. One char per UTF-8 byte puts exactly those bytes on the wire.
 */
function isomorphicUtf8(value: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) out += String.fromCharCode(byte);
  return out;
}
