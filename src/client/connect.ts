import { EventStream } from './event-stream.js';
import type { ConnectOptions, EventMap } from './types.js';

/**
 * Opens a Server-Sent Events stream over `fetch`: any method, headers and body, typed events,
 * reconnection with `Last-Event-ID`, the server's `retry:`, and exponential backoff with jitter.
 * Works in browsers and Node 20 (global `fetch`); needs the `eventsource-parser` package.
 *
 * Stops for good on 204, on statuses that will not change (every non-200 except 408, 425, 429 and
 * 5xx other than 501/505/511, which are retried with backoff and `Retry-After`), on a Content-Type
 * that is not `text/event-stream`, on `close()` and on `signal`.
 *
 * @example
 * type Events = { alert: { level: string }; update: { id: number } };
 * const stream = connect<Events>('/alerts', { headers: { authorization: `Bearer ${token}` }, json: true });
 * stream.on('alert', (e) => console.log(e.data.level));
 * for await (const e of stream) if (e.type === 'update') console.log(e.data.id);
 */
export function connect<Events extends EventMap = Record<string, string>>(
  url: string | URL,
  options?: ConnectOptions,
): EventStream<Events> {
  return new EventStream<Events>(url, options);
}
