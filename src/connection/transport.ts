import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import type { Frame } from '../wire/frame.js';
import { Http2Transport } from './http2-transport.js';
import { ResponseTransport } from './response-transport.js';
import { SocketTransport } from './socket-transport.js';

/**
 * Where one stream's bytes go. The connection decides what to send and when (once per event-loop
 * turn); a transport only frames, writes and reports how much the client has not taken yet.
 */
export interface Transport {
  /** Sends the head now, so the client sees the stream open. False when the client already left. */
  writeHead(status: number, headers: OutgoingHttpHeaders): boolean;
  /** A shared frame as this response carries it (framed once per frame, not per connection). */
  frame(frame: Frame): Buffer;
  /** One connection's own event text, framed for this response. */
  text(text: string): Buffer;
  /** Writes everything gathered this turn; `parts` is the transport's to keep. */
  write(parts: Buffer[]): void;
  /** Bytes written and not yet taken by the kernel. */
  readonly waiting: number;
  /** True while a write was refused and a drain will come. */
  readonly needsDrain: boolean;
  /** Tells the owner once (`drained()`) when what waits has gone out. Idempotent until it does. */
  whenDrained(): void;
  /** Finishes the response after what was written (a reusable connection stays usable). */
  end(): void;
  /** Aborts the response; unsent bytes are dropped. */
  destroy(): void;
}

/** What a transport tells its connection. Called through shared listeners, never closures. */
export interface TransportOwner {
  /** What was waiting went out (see `whenDrained`). */
  drained(): void;
  /** The response closed before the connection ended it: the client left. */
  clientLeft(): void;
}

/** Makes a connection's transport for a response that is not a `node:http` one (a web stream). */
export type TransportFactory = (owner: TransportOwner) => Transport;

// Bun's `node:http` socket takes every write and reports no backlog (`writableLength` stays 0,
// measured on Bun 1.4.4), so written straight to it a stalled client would grow memory without
// bound and pull sources would never pause. Its `res.write` reports backpressure and frames by the
// head: Bun always gets the response transport.
const IS_BUN = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined';

/**
 * The transport for a response, decided once. An HTTP/1.x response that has its socket is written
 * on the socket itself (the cheapest path); an HTTP/2 response (node:http2's compatibility API) on
 * its stream; anything else (a pipelined request whose socket is still busy with the one before,
 * any response on Bun) through the response's own `write`.
 */
export function createTransport(
  req: Pick<IncomingMessage, 'httpVersionMajor'>,
  res: ServerResponse,
  owner: TransportOwner,
): Transport {
  if (req.httpVersionMajor === 2) {
    const stream = (res as unknown as Http2ServerResponse).stream;
    if (stream !== undefined) return new Http2Transport(res, owner, stream);
  }
  const socket = res.socket;
  return req.httpVersionMajor === 1 && socket && !IS_BUN
    ? new SocketTransport(res, owner, socket)
    : new ResponseTransport(res, owner);
}
