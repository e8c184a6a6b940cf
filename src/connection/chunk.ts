import type { Frame } from '../wire/frame.js';

// HTTP/1.1 chunked transfer coding (RFC 9112 7.1): `<hex size>\r\n<bytes>\r\n`. Each event is its own
// chunk, so a frame shared by a broadcast is framed once and written as is to every connection.
const CRLF = 0x0d0a;

/** `bytes` framed as one chunk. */
export function toChunk(bytes: Buffer): Buffer {
  const head = `${bytes.length.toString(16)}\r\n`;
  const out = Buffer.allocUnsafe(head.length + bytes.length + 2);
  out.write(head, 0, 'latin1');
  bytes.copy(out, head.length);
  out.writeUInt16BE(CRLF, out.length - 2);
  return out;
}

/** `text` encoded to UTF-8 and framed as one chunk, in a single allocation. */
export function textToChunk(text: string): Buffer {
  const size = Buffer.byteLength(text, 'utf8');
  const head = `${size.toString(16)}\r\n`;
  const out = Buffer.allocUnsafe(head.length + size + 2);
  out.write(head, 0, 'latin1');
  out.write(text, head.length, 'utf8');
  out.writeUInt16BE(CRLF, out.length - 2);
  return out;
}

/** The frame's chunk, computed on first use and kept on the frame for every other connection. */
export function chunkOf(frame: Frame): Buffer {
  let chunk = frame.transport;
  if (chunk === undefined) {
    const bytes = frame.bytes;
    chunk = toChunk(bytes);
    frame.setTransport(chunk, chunk.length - 2 - bytes.length);
  }
  return chunk;
}
