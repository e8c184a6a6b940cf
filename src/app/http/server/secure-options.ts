import type { TlsOptions } from 'node:tls';

/**
 * TLS settings of an HTTPS app (`HeraldFactory.create(module, { https })`): Node's own
 * `tls.createServer` options (`key`, `cert`, `ca`, `minVersion`, `ciphers`, `SNICallback`...). The
 * ALPN list is Herald's: it offers `h2` when `http2` is on, and `http/1.1`.
 */
export type HttpsOptions = Omit<TlsOptions, 'ALPNProtocols' | 'ALPNCallback'>;

/**
 * HTTP/2 settings (`HeraldFactory.create(module, { https, http2 })`). Every field bounds what one
 * client session may cost; the defaults hold a browser's many `EventSource`s on one connection.
 */
export interface Http2Options {
  /**
   * Streams one session may have open at once, advertised to the client (SETTINGS). Browsers use
   * up to 256 when told and 100 when not. Default 256.
   */
  maxConcurrentStreams?: number;
  /**
   * Memory one session may hold in nghttp2 (header compression, queued frames), in MiB; past it
   * new streams are refused. Default 10 (Node's).
   */
  maxSessionMemory?: number;
  /** Header fields in one request; past it the stream is refused. Default 128 (Node's). */
  maxHeaderListPairs?: number;
  /**
   * Streams a session may have refused (past `maxConcurrentStreams`) before it is closed: what
   * ends a client that keeps opening more than it is allowed. Default 100 (Node's).
   */
  maxSessionRejectedStreams?: number;
  /** Invalid frames a session may send before it is closed. Default 1,000 (Node's). */
  maxSessionInvalidFrames?: number;
}

/** Defaults of {@link Http2Options}. */
export const DEFAULT_HTTP2_OPTIONS: Required<Http2Options> = {
  maxConcurrentStreams: 256,
  maxSessionMemory: 10,
  maxHeaderListPairs: 128,
  maxSessionRejectedStreams: 100,
  maxSessionInvalidFrames: 1_000,
};

/** `http2: true` or its options, with every default filled in; undefined when HTTP/2 is off. */
export function resolveHttp2(
  http2: boolean | Http2Options | undefined,
): Required<Http2Options> | undefined {
  if (http2 === undefined || http2 === false) return undefined;
  const given = http2 === true ? {} : http2;
  const resolved = { ...DEFAULT_HTTP2_OPTIONS };
  for (const key of Object.keys(resolved) as Array<keyof Http2Options>) {
    const value = given[key];
    if (value === undefined) continue;
    if (!(Number.isSafeInteger(value) && value > 0)) {
      throw new RangeError(`http2.${key} must be a positive integer, got ${value}`);
    }
    resolved[key] = value;
  }
  return resolved;
}
