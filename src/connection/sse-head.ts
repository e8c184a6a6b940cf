import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { ResolvedSseOptions } from './resolve-sse-options.js';

/**
 * What the head depends on in a request: its HTTP version, method and `Connection` header. A
 * `node:http` request has it; an edge without one (a fetch `Request`) describes itself with it.
 */
export type HeadRequest = Pick<
  IncomingMessage,
  'httpVersionMajor' | 'httpVersionMinor' | 'method' | 'headers'
>;

/** What an event stream answers before its first event. */
export interface SseHead {
  status: number;
  headers: OutgoingHttpHeaders;
  /** False for a HEAD and for a status that has no body (204, 304): the head is the whole answer. */
  body: boolean;
}

// Framing headers belong to the engine: a user header must not turn the stream into something a
// client would parse differently.
const RESERVED = new Set(['content-type', 'content-length', 'transfer-encoding', 'connection']);
// RFC 9113 8.2.2: connection-specific fields make an HTTP/2 response malformed (Node 20 throws
// ERR_HTTP2_INVALID_CONNECTION_HEADERS on Transfer-Encoding and Keep-Alive, and drops Connection
// with a warning; WebKit drops a stream that carries one), so none goes out, a user's included.
const RESERVED_H2 = new Set([...RESERVED, 'keep-alive', 'proxy-connection', 'upgrade', 'te']);

/**
 * The one place that decides an event stream's status and headers, for every protocol. A HEAD gets
 * the head a GET gets (RFC 9110 9.3.2), framing headers included, and no body. HTTP/1.1 gets
 * `Connection` and `Transfer-Encoding: chunked`; HTTP/1.0 neither; HTTP/2 no connection-specific
 * header at all (its body is framed by DATA frames).
 *
 * @example
 * const { status, headers, body } = sseHead(req, resolveSseOptions());
 */
export function sseHead(req: HeadRequest, options: ResolvedSseOptions): SseHead {
  const status = options.status;
  const headers: OutgoingHttpHeaders = {};
  const reserved = req.httpVersionMajor >= 2 ? RESERVED_H2 : RESERVED;
  for (const [name, value] of Object.entries(options.headers)) {
    if (!reserved.has(name.toLowerCase())) headers[name] = value;
  }
  headers['Content-Type'] = 'text/event-stream';
  headers['Cache-Control'] = 'no-cache, no-transform';
  // nginx buffers proxied responses unless told not to, which would hold events back.
  headers['X-Accel-Buffering'] = 'no';
  const http11 = req.httpVersionMajor === 1 && req.httpVersionMinor >= 1;
  // A connection-specific header is forbidden in HTTP/2 and meaningless in HTTP/1.0; a client that
  // asked for `Connection: close` gets it (Node honours an explicit header over the request's).
  if (http11 && !/\bclose\b/i.test(req.headers.connection ?? '')) headers.Connection = 'keep-alive';
  const noBody = status === 204 || status === 304;
  // Said rather than left to Node, so the transport knows the body's framing without reading
  // Node's private state, and a HEAD names the framing its GET would have. Never to HTTP/1.0
  // (RFC 9112 6.1), nor where there is no body.
  if (http11 && !noBody) headers['Transfer-Encoding'] = 'chunked';
  return { status, headers, body: !noBody && req.method !== 'HEAD' };
}
