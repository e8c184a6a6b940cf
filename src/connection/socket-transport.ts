import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Frame } from '../wire/frame.js';
import { chunkOf, textToChunk } from './chunk.js';
import { ResponseTransport } from './response-transport.js';
import { sharedJoin } from './shared-join.js';
import type { TransportOwner } from './transport.js';

const EMPTY = Buffer.alloc(0);

/**
 * Writes an HTTP/1.x stream straight to its socket once Node has written the head, bypassing
 * `ServerResponse.write`'s per-call bookkeeping: one `write` per connection per turn, or one corked
 * `writev`. HTTP/1.1 bodies are chunked (each frame framed once and shared by every connection);
 * HTTP/1.0 bodies end at close. Node still writes the head and, on `end()`, the last chunk, so a
 * completed stream leaves a keep-alive connection reusable.
 */
export class SocketTransport extends ResponseTransport {
  readonly #socket: Socket;
  #chunked = false;

  constructor(res: ServerResponse, owner: TransportOwner, socket: Socket) {
    super(res, owner);
    this.#socket = socket;
  }

  /**
   * The body is chunked exactly when the head says so (`sseHead` does for HTTP/1.1): Node then
   * frames the head's end and the last chunk, this transport the events, and both agree without
   * reading Node's private state. Node 20 would also chunk an HTTP/1.0 body when the request sends
   * `TE: chunked`, which RFC 9112 6.1 forbids; turning that default off keeps the two agreeing.
   */
  override writeHead(status: number, headers: OutgoingHttpHeaders): boolean {
    this.#chunked = headers['Transfer-Encoding'] === 'chunked';
    if (!this.#chunked) this.res.useChunkedEncodingByDefault = false;
    return super.writeHead(status, headers);
  }

  override frame(frame: Frame): Buffer {
    return this.#chunked ? chunkOf(frame) : frame.bytes;
  }

  override text(text: string): Buffer {
    return this.#chunked ? textToChunk(text) : Buffer.from(text, 'utf8');
  }

  override write(parts: Buffer[]): void {
    const socket = this.#socket;
    if (parts.length === 1) {
      socket.write(parts[0]!);
      return;
    }
    const shared = sharedJoin(parts);
    if (shared !== undefined) {
      socket.write(shared);
      return;
    }
    // Corked writes leave as one writev: one syscall for everything gathered this turn.
    socket.cork();
    for (const buf of parts) socket.write(buf);
    socket.uncork();
  }

  override get waiting(): number {
    return this.#socket.writableLength;
  }

  override get needsDrain(): boolean {
    return this.#socket.writableNeedDrain;
  }

  protected override armDrain(): void {
    if (this.#socket.writableNeedDrain) {
      this.listenForDrain(this.#socket);
      return;
    }
    // Bytes wait in the socket, but under its high-water mark: Node will not emit 'drain'. An empty
    // write calls back once everything before it has gone to the kernel.
    this.#socket.write(EMPTY, () => this.drained());
  }
}
