/**
 * The client's last event ID: the `Last-Event-ID` header a reconnecting `EventSource` sends, or
 * `?lastEventId=` (polyfills and first connections that resume from a stored id). Undefined when
 * neither is set or both are empty.
 *
 * @example
 * hub.subscribe('news', { lastEventId: lastEventIdOf(c.req.raw) });
 */
export function lastEventIdOf(request: Request): string | undefined {
  const header = request.headers.get('last-event-id');
  if (header) return header;
  // Most requests carry no query: skip parsing the URL for them.
  if (!request.url.includes('lastEventId=')) return undefined;
  return new URL(request.url).searchParams.get('lastEventId') || undefined;
}
