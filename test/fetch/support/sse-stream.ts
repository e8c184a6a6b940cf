import http from 'node:http';
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One event as a client sees it. */
export interface Received {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/** An open event stream read over a real socket, as an `EventSource` would parse it. */
export interface SseStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: Received[];
  /** Comment lines received (heartbeats are empty comments). */
  comments: string[];
  /** Resolves with the first `count` events; rejects listing what came if they do not in `ms`. */
  take(count: number, ms?: number): Promise<Received[]>;
  /** Settles when the server ends or cuts the response. */
  ended: Promise<void>;
  /** Stops reading: the socket's buffers fill and the server sees a stalled client. */
  pause(): void;
  resume(): void;
  close(): void;
}

/** GETs `url` and parses its body as an event stream as it arrives. */
export function openStream(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, {
      agent: false,
      headers: { accept: 'text/event-stream', ...headers },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      const events: Received[] = [];
      const comments: string[] = [];
      const parser = createParser({
        onEvent: (e: EventSourceMessage) => events.push({ id: e.id, event: e.event, data: e.data }),
        onComment: (c) => comments.push(c),
      });
      res.setEncoding('utf8');
      res.on('data', (text: string) => parser.feed(text));
      const ended = new Promise<void>((done) => {
        res.once('close', done);
        res.once('error', () => done());
      });
      req.off('error', reject);
      req.on('error', () => {});
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        comments,
        ended,
        close: () => req.destroy(),
        pause: () => res.pause(),
        resume: () => res.resume(),
        take: async (count, ms = 30_000) => {
          const deadline = Date.now() + ms;
          while (events.length < count) {
            if (Date.now() > deadline) {
              throw new Error(`${url}: ${events.length} of ${count} events in ${ms} ms`);
            }
            await new Promise((r) => setTimeout(r, 10));
          }
          return events.slice(0, count);
        },
      });
    });
  });
}

/** Polls `read` every 20 ms until `ok` holds of its value; fails with the last value after `ms`. */
export async function until<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
