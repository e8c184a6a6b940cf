import type { IncomingMessage } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { BadRequestException, PayloadTooLargeException } from '../errors/exceptions.js';

/** Default cap on a request body: 100 KiB, as body-parser. */
export const DEFAULT_BODY_LIMIT = 100 * 1024;

/**
 * Reads and parses a request body, at most `limit` bytes.
 *
 * - No body (no Content-Length or Transfer-Encoding, an HTTP/2 request whose head ended its stream,
 *   or zero length): `undefined`.
 * - `application/json` and `*+json`: parsed; malformed -> 400; an empty body -> `undefined`.
 * - `application/x-www-form-urlencoded`: an object, repeated keys as arrays.
 * - Anything else: the raw bytes as a `Buffer`, so a handler can decode what it expects.
 *
 * Past `limit` (by Content-Length up front, or while streaming) it rejects with a 413 and stops
 * reading; the caller answers with `Connection: close` so the rest is never read.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = req.headers['content-length'];
  if (declared === undefined && req.headers['transfer-encoding'] === undefined && !http2Body(req)) {
    return undefined;
  }
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
  const raw = await collect(req, limit);
  if (raw.length === 0) return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return parseJson(raw);
  if (type === 'application/x-www-form-urlencoded') {
    return { ...parseQueryString(raw.toString('utf8')) };
  }
  return raw;
}

/**
 * An HTTP/2 request needs no Content-Length (RFC 9113 8.1.1: DATA frames carry the body): it has
 * a body unless its HEADERS frame ended the stream.
 */
function http2Body(req: IncomingMessage): boolean {
  if (req.httpVersionMajor !== 2) return false;
  const stream = (req as { stream?: { endAfterHeaders?: boolean } }).stream;
  return stream?.endAfterHeaders === false;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new BadRequestException('Malformed JSON body', { cause: err });
  }
}

function tooLarge(limit: number): PayloadTooLargeException {
  return new PayloadTooLargeException(`Request body larger than ${limit} bytes`);
}

function collect(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new BadRequestException('Request body could not be read', { cause: err }));
    };
    const onClose = () => {
      cleanup();
      reject(new BadRequestException('Request aborted'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
