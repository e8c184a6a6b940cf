import type { ServerResponse } from 'node:http';
import { sendJson } from '../send-json.js';

/**
 * Sends what a non-SSE handler returned: `undefined`/`null` -> empty body; a string -> text/plain;
 * a Buffer or Uint8Array -> application/octet-stream; anything else -> JSON. Does nothing when the
 * handler already ended the response itself.
 */
export function sendResult(
  res: ServerResponse,
  status: number,
  headers: Record<string, string> | undefined,
  value: unknown,
): void {
  if (res.writableEnded || res.headersSent) return;
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    sendJson(res, status, value, headers);
    return;
  }
  res.statusCode = status;
  if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (value === undefined || value === null) {
    res.setHeader('Content-Length', 0);
    res.end();
    return;
  }
  if (value instanceof Uint8Array) {
    if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', value.byteLength);
    res.end(value);
    return;
  }
  if (typeof value === 'string') {
    if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(value));
    res.end(value);
    return;
  }
  sendJson(res, status, value, headers);
}
