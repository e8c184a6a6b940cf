import type { ServerResponse } from 'node:http';
import type { ServerHttp2Stream } from 'node:http2';
import type { Frame } from '../wire/frame.js';
import { ResponseTransport } from './response-transport.js';
import { sharedJoin } from './shared-join.js';
import type { TransportOwner } from './transport.js';

const EMPTY = Buffer.alloc(0);
// RST_STREAM's CANCEL (RFC 9113 7), as a literal so herald/sse need not load node:http2. Without
// a code Node resets with NO_ERROR, which tells the client nothing went wrong.
const CANCEL = 0x8;

/**
 * Writes an HTTP/2 stream straight to its `ServerHttp2Stream`, under the compatibility API's
 * `Http2ServerResponse` (which still writes the head and ends the stream). HTTP/2 frames the body
 * itself (DATA frames), so an event's bytes go out as they are: no chunk framing, and a broadcast's
 * frames are shared as on HTTP/1.1. Backpressure is the stream's own: what the peer's flow-control
 * window holds back piles up in the stream's `writableLength`, not in the session's socket, so one
 * stalled stream is judged (and cut) alone while its siblings on the same session go on.
 */
export class Http2Transport extends ResponseTransport {
  readonly #stream: ServerHttp2Stream;

  constructor(res: ServerResponse, owner: TransportOwner, stream: ServerHttp2Stream) {
    super(res, owner);
    this.#stream = stream;
  }

  override frame(frame: Frame): Buffer {
    return frame.bytes;
  }

  override write(parts: Buffer[]): void {
    const stream = this.#stream;
    if (parts.length === 1) {
      stream.write(parts[0]!);
      return;
    }
    // One write per stream per turn: nghttp2 then packs the session's DATA frames into one socket
    // write. A broadcast's parts are joined once for every stream that queued the same ones.
    const shared = sharedJoin(parts);
    if (shared !== undefined) {
      stream.write(shared);
      return;
    }
    stream.cork();
    for (const buf of parts) stream.write(buf);
    stream.uncork();
  }

  /** Resets this stream alone (CANCEL); the session and its other streams go on. */
  override destroy(): void {
    this.#stream.close(CANCEL);
    super.destroy();
  }

  override get waiting(): number {
    return this.#stream.writableLength;
  }

  override get needsDrain(): boolean {
    return this.#stream.writableNeedDrain;
  }

  protected override armDrain(): void {
    if (this.#stream.writableNeedDrain) {
      this.listenForDrain(this.#stream);
      return;
    }
    // Bytes wait under the stream's high-water mark: no 'drain' will come. An empty write calls
    // back once everything before it has been handed to the session.
    this.#stream.write(EMPTY, () => this.drained());
  }
}
