import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { Readable } from 'node:stream';

/** How `sse()` reaches an app over TLS and which HTTP version it speaks. */
export interface TransportOptions {
  /** Speak HTTP/2 (node:http2): TLS with ALPN for `https:`, h2c by prior knowledge for `http:`. */
  http2?: boolean | undefined;
  /**
   * The certificate authority to verify an `https:` app's certificate against. Without it, any
   * certificate is accepted: `sse()` only talks to the app under test, whose certificate tests
   * usually make on the spot.
   */
  ca?: string | Buffer | undefined;
}

/** A response head and its body, whichever HTTP version carried it. */
export interface OpenedResponse {
  status: number;
  headers: Headers;
  body: Readable;
  /** True once the server ended the body (false when the connection broke off). */
  readonly complete: boolean;
}

/** @internal One GET in flight: its response, and how to cut it (resolves once it is closed). */
export interface OpenedRequest {
  response: Promise<OpenedResponse>;
  close(): Promise<void>;
}

/** @internal Sends `GET url` with `headers` on a connection of its own. */
export function openRequest(
  url: URL,
  headers: Record<string, string>,
  options: TransportOptions,
): OpenedRequest {
  return options.http2 ? openHttp2(url, headers, options) : openHttp1(url, headers, options);
}

function tlsOf(options: TransportOptions): { ca?: string | Buffer; rejectUnauthorized: boolean } {
  return options.ca === undefined
    ? { rejectUnauthorized: false }
    : { ca: options.ca, rejectUnauthorized: true };
}

function openHttp1(
  url: URL,
  headers: Record<string, string>,
  options: TransportOptions,
): OpenedRequest {
  const secure = url.protocol === 'https:';
  const req = secure
    ? https.request(url, { headers, agent: false, ...tlsOf(options) })
    : http.request(url, { headers, agent: false });
  const closed = new Promise<void>((r) => req.once('close', () => r()));
  const response = new Promise<OpenedResponse>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      req.on('error', () => undefined);
      res.on('error', () => undefined);
      const responseHeaders = new Headers();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
        responseHeaders.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
      }
      resolve({
        status: res.statusCode ?? 0,
        headers: responseHeaders,
        body: res,
        get complete() {
          return res.complete;
        },
      });
    });
  });
  req.end();
  return {
    response,
    close: () => {
      req.destroy();
      return closed;
    },
  };
}

function openHttp2(
  url: URL,
  headers: Record<string, string>,
  options: TransportOptions,
): OpenedRequest {
  const session = http2.connect(url.origin, url.protocol === 'https:' ? tlsOf(options) : {});
  const closed = new Promise<void>((r) => session.once('close', () => r()));
  session.on('error', () => undefined);
  const stream = session.request({ ':path': `${url.pathname}${url.search}`, ...headers });
  let complete = false;
  const response = new Promise<OpenedResponse>((resolve, reject) => {
    stream.once('error', reject);
    session.once('error', reject);
    stream.once('end', () => {
      complete = true;
    });
    // The session is this request's alone: it goes when the stream does.
    stream.once('close', () => session.close());
    stream.once('response', (head) => {
      stream.on('error', () => undefined);
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(head)) {
        if (name.startsWith(':') || value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value])
          responseHeaders.append(name, String(v));
      }
      resolve({
        status: Number(head[':status'] ?? 0),
        headers: responseHeaders,
        body: stream,
        get complete() {
          return complete;
        },
      });
    });
  });
  stream.end();
  return {
    response,
    close: () => {
      session.destroy();
      return closed;
    },
  };
}
