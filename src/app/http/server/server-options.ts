import type { ServerOptions } from 'node:http';

/** Limits of the HTTP server itself (`HeraldFactory.create(module, { server })`). */
export interface HttpServerOptions {
  /** Largest request head (request line + headers) in bytes; past it Node answers 431. Default 16 KiB. */
  maxHeaderSize?: number;
  /**
   * Time a client has to send the complete request head, in ms; past it Node answers 408 and
   * closes the socket (what stops a slowloris). Default 10,000 (Node's own is 60,000).
   */
  headersTimeout?: number;
  /**
   * Time a client has to send the whole request, body included, in ms (408 past it). It does not
   * limit how long a response, such as an event stream, lasts. Default 30,000.
   */
  requestTimeout?: number;
  /** How long an idle keep-alive socket stays open between requests, in ms. Default 5,000. */
  keepAliveTimeout?: number;
  /**
   * Connections the kernel may hold for the app before it accepts them. Past it new connections
   * are dropped (the client retries its SYN for up to a minute): a reconnect storm after a restart
   * or a shutdown elsewhere needs room. Default 4,096 (Node's own is 511); the kernel caps it at
   * `net.core.somaxconn`.
   */
  backlog?: number;
}

/** Defaults of {@link HttpServerOptions}. */
export const DEFAULT_SERVER_OPTIONS: Required<HttpServerOptions> = {
  maxHeaderSize: 16 * 1024,
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  backlog: 4_096,
};

/** The listen backlog for {@link HttpServerOptions}. */
export function listenBacklog(options: HttpServerOptions = {}): number {
  return options.backlog ?? DEFAULT_SERVER_OPTIONS.backlog;
}

/**
 * Node server options for {@link HttpServerOptions}. Node checks the two request timeouts on a
 * timer (`connectionsCheckingInterval`, 30 s by default, which would let a slow head live up to
 * 30 s past its timeout): it runs here every second, or at a quarter of a shorter timeout.
 */
export function nodeServerOptions(options: HttpServerOptions = {}): ServerOptions {
  const o = { ...DEFAULT_SERVER_OPTIONS, ...definedOnly(options) };
  const shortest = Math.min(o.headersTimeout || Infinity, o.requestTimeout || Infinity);
  return {
    maxHeaderSize: o.maxHeaderSize,
    headersTimeout: o.headersTimeout,
    requestTimeout: o.requestTimeout,
    keepAliveTimeout: o.keepAliveTimeout,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(shortest / 4))),
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
