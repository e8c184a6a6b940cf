import {
  createServer,
  Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createSecureServer, createServer as createH2cServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { Http2Sessions } from './http2-sessions.js';
import { type Http2Options, type HttpsOptions, resolveHttp2 } from './secure-options.js';
import { type HttpServerOptions, nodeServerOptions } from './server-options.js';

/** The Node server an app runs on: HTTP/1.1, HTTPS/1.1, HTTPS with HTTP/2, or h2c. */
export type HeraldServer =
  | import('node:http').Server
  | import('node:https').Server
  | import('node:http2').Http2SecureServer
  | import('node:http2').Http2Server;

/** @internal What the application needs of its server, whichever kind it is. */
export interface ServerHandle {
  readonly server: HeraldServer;
  readonly scheme: 'http' | 'https';
  /** Stops accepting and sends GOAWAY to HTTP/2 sessions; calls back once every connection closed. */
  close(done: () => void): void;
  /** Closes connections with nothing in flight (idle keep-alive sockets, sessions without streams). */
  closeIdle(): void;
  /** Cuts every connection. */
  closeAll(): void;
}

/** @internal How the app's server is made (`HeraldFactory.create` options). */
export interface ServerSettings {
  server?: HttpServerOptions | undefined;
  https?: HttpsOptions | undefined;
  http2?: boolean | Http2Options | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Makes the app's server. `https` serves TLS; with `http2` too, HTTP/2 to clients that negotiate
 * it by ALPN and HTTP/1.1 to the rest on the same port (those keep the socket fast path). `http2`
 * without `https` is h2c with prior knowledge only (behind a proxy that speaks it). node:http2's
 * compatibility API hands the handler request and response objects shaped like node:http's.
 */
export function createHeraldServer(settings: ServerSettings, handler: Handler): ServerHandle {
  const http = nodeServerOptions(settings.server);
  const tls = settings.https && { handshakeTimeout: http.headersTimeout, ...settings.https };
  const h2 = resolveHttp2(settings.http2);
  if (h2 === undefined) {
    const server = tls
      ? createHttpsServer({ ...tls, ...http }, handler)
      : createServer(http, handler);
    return {
      server,
      scheme: tls ? 'https' : 'http',
      close: (done) => server.close(() => done()),
      closeIdle: () => server.closeIdleConnections(),
      closeAll: () => server.closeAllConnections(),
    };
  }
  const { maxConcurrentStreams, ...limits } = h2;
  const options = {
    ...limits,
    settings: { maxConcurrentStreams, maxHeaderListSize: http.maxHeaderSize },
  };
  const h2Handler = handler as unknown as Parameters<typeof createH2cServer>[1];
  const secure = tls && createSecureServer({ ...tls, ...options, allowHTTP1: true }, h2Handler);
  const server = secure || createH2cServer(options, h2Handler);
  // allowHTTP1's HTTP/1.1 side reads its limits from the server object, as node:http's does.
  Object.assign(server, { ...http, requireHostHeader: true });
  const sessions = new Http2Sessions(server, http.keepAliveTimeout ?? 0);
  return {
    server,
    scheme: secure ? 'https' : 'http',
    close: (done) => {
      server.close(() => done());
      sessions.goAway();
    },
    closeIdle: () => {
      // Http2SecureServer closes idle HTTP/1.1 sockets as node:http does (missing from its types).
      if (secure) HttpServer.prototype.closeIdleConnections.call(secure);
      sessions.goAway();
    },
    closeAll: () => {
      // Http2SecureServer has no closeAllConnections, but tracks its HTTP/1.1 sockets as node:http.
      if (secure) HttpServer.prototype.closeAllConnections.call(secure);
      sessions.destroyAll();
    },
  };
}
