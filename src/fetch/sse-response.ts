import { SseConnection } from '../connection/sse-connection.js';
import type { HeadRequest } from '../connection/sse-head.js';
import type { TransportOwner } from '../connection/transport.js';
import { WebStreamTransport } from '../connection/web-stream-transport.js';
import { HeraldError } from '../errors.js';
import { startProducer } from '../stream/start-producer.js';
import { resolveResponseOptions, type SseResponseOptions } from './response-options.js';

// A fetch Response's framing and connection belong to the runtime's server, as in HTTP/2: described
// so, the head names neither `Connection` nor `Transfer-Encoding`, and fits HTTP/1.1 and HTTP/2.
const GET: HeadRequest = { httpVersionMajor: 2, httpVersionMinor: 0, method: 'GET', headers: {} };
const HEAD: HeadRequest = { ...GET, method: 'HEAD' };

/**
 * Streams `source` as a `text/event-stream` `Response` whose body is a `ReadableStream`: for Hono,
 * `Bun.serve`, `Deno.serve` and route handlers. `source` is anything Herald streams: a Hub
 * subscription (its frames are encoded once and the same bytes go to every response), an
 * Observable, an async iterable, an `EventTarget` or a `ReadableStream`.
 *
 * `null` or `undefined` answers 204 No Content, which tells `EventSource` to stop reconnecting:
 * what `runs.subscribe()` resolves to for a client that already has a run's `herald:end`.
 *
 * Resolves once the source is ready (a Hub subscription's `authorize` hook, its replay read).
 * Rejects, before any byte, when the source is refused or fails first: a `HeraldError` whose
 * `code` maps to a status (`HERALD_ERROR_STATUS`; {@link refusalResponse} builds the answer), so
 * the framework's error handler still answers 403 or 503. After that, the stream behaves as on
 * Herald's own server: the request's signal aborting cancels the producer in the same tick, pull
 * sources go at the pace the runtime reads (`desiredSize`), heartbeats come from one shared timer,
 * and a client whose unsent bytes stay over `maxPendingBytes` for `maxStallMs` is cut.
 *
 * @example
 * app.get('/news', (c) =>
 *   sseResponse(hub.subscribe('news', { lastEventId: lastEventIdOf(c.req.raw) }), {
 *     request: c.req.raw,
 *   }),
 * );
 * @example
 * // Follow or resume a run (`herald/hub`'s `Runs`); its `herald:end` id answers 204.
 * app.get('/runs/:id', async (c) =>
 *   sseResponse(await runs.subscribe(c.req.param('id'), { lastEventId: lastEventIdOf(c.req.raw) }), {
 *     request: c.req.raw,
 *   }),
 * );
 */
export async function sseResponse(
  source: unknown,
  options: SseResponseOptions = {},
): Promise<Response> {
  // As an `@Sse` handler's null: nothing to stream, and the client should not come back for it.
  if (source === null || source === undefined) return new Response(null, { status: 204 });
  const request = options.request;
  const signal = request?.signal;
  if (signal?.aborted) throw new HeraldError('CLOSED', 'the client left before the stream started');
  const resolved = resolveResponseOptions(options);
  let transport: WebStreamTransport | undefined;
  const makeTransport = (owner: TransportOwner): WebStreamTransport => {
    transport = new WebStreamTransport(owner, signal);
    return transport;
  };
  const head = request?.method === 'HEAD' ? HEAD : GET;
  const conn = new SseConnection(head, makeTransport, resolved);
  try {
    // Throws INVALID_SOURCE, or the source's own failure when it fails before emitting anything.
    const producer = startProducer(source, conn);
    conn.attach(producer);
    if (producer.ready !== undefined) await producer.ready;
    // The client left (its signal aborted) while the source was getting ready.
    if (conn.closed) throw new HeraldError('CLOSED', 'the stream was closed before it started');
    conn.start();
  } catch (err) {
    conn.close();
    transport!.destroy(); // drops its listener on the request's signal
    throw err;
  }
  return respond(conn, transport!);
}

/** The Response for a started stream: its head, and the body unless there is none. */
function respond(conn: SseConnection<HeadRequest>, transport: WebStreamTransport): Response {
  const { status, headers } = transport;
  // A HEAD, or a status without a body (204, 304): the head is the whole answer.
  const bodyless = status === 204 || status === 304 || conn.request.method === 'HEAD';
  return new Response(bodyless ? null : transport.body, { status, headers });
}
