import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloseReason, SseServer } from '../../../connection/index.js';
import type { LoggerLike } from './logger.js';

/** One request as the access log reports it, once its response has ended. */
export interface AccessLogEntry {
  method: string;
  /** The path only: the query string is left out, since it may hold tokens (`?token=`). */
  path: string;
  status: number;
  /** From the request's arrival to the end of its response (for a stream, the stream's life). */
  durationMs: number;
  /** The client address (`request.ip`). */
  ip: string;
  /** True for an event stream; `closed` then says how it ended. */
  stream: boolean;
  /** How a stream ended: `complete`, `client` (it left), `server`, `error`, `slow-consumer`. */
  closed?: CloseReason;
  /** True when the client left before a (non-stream) response was complete. */
  aborted: boolean;
}

/** `accessLog` option: `true` logs one line per request through the app's logger; a function gets every entry. */
export type AccessLogOption = boolean | ((entry: AccessLogEntry) => void);

/** The default line: `GET /news 200 3 ms`, `GET /news/stream 200 61234 ms event stream (client)`. */
export function formatAccessLine(e: AccessLogEntry): string {
  const tail = e.stream ? ` event stream (${e.closed})` : e.aborted ? ' (aborted)' : '';
  return `${e.method} ${e.path} ${e.status} ${Math.round(e.durationMs)} ms${tail}`;
}

/**
 * Reports each request once its response is over. A stream's close reason comes from the SSE
 * engine, which learns of a client leaving on the same `close` event as this log: the entry is
 * written on the next tick, once the engine has recorded it.
 */
export class AccessLog {
  readonly #sink: (entry: AccessLogEntry) => void;
  readonly #streams = new WeakMap<IncomingMessage, CloseReason>();

  constructor(option: Exclude<AccessLogOption, false>, logger: LoggerLike, sse: SseServer) {
    this.#sink = option === true ? (e) => logger.log(formatAccessLine(e)) : option;
    sse.onStreamClose((conn, reason) => this.#streams.set(conn.request, reason));
  }

  /** Starts timing `req`; its entry goes out when `res` closes. */
  track(req: IncomingMessage & { ip?: string }, res: ServerResponse): void {
    const start = performance.now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    res.once('close', () => {
      const durationMs = performance.now() - start;
      process.nextTick(() => {
        const closed = this.#streams.get(req);
        const entry: AccessLogEntry = {
          method,
          path,
          status: res.statusCode,
          durationMs,
          ip: req.ip ?? '',
          stream: closed !== undefined,
          aborted: closed === undefined && !res.writableFinished,
        };
        if (closed !== undefined) entry.closed = closed;
        this.#sink(entry);
      });
    });
  }
}
