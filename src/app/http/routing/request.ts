import type { IncomingMessage } from 'node:http';

/**
 * The request handlers and guards see: Node's `IncomingMessage` with the parsed query string, the
 * route parameters and the parsed body attached (as Express and NestJS do).
 */
export interface HeraldRequest extends IncomingMessage {
  /** Query string values; a repeated key gives an array. */
  query: Record<string, string | string[]>;
  /** Route parameters (`/tasks/:id` -> `{ id }`), URI-decoded. */
  params: Record<string, string>;
  /**
   * JSON and URL-encoded bodies parsed; another content type gives the raw `Buffer`; no body gives
   * `undefined`.
   */
  body: unknown;
  /**
   * The client's address: the socket's peer, or, when the app trusts proxies (`trustProxy`), the
   * address they forward in `X-Forwarded-For` (as Express's `req.ip`). Set before middleware runs.
   */
  ip: string;
}
