import { encodeEvent } from './encode.js';
import type { WireEvent } from './message-event.js';

/**
 * An event encoded once, to be written to any number of connections. `bytes` is the event's wire
 * form; `transport` is a slot the transport fills at most once with its own framing of those bytes
 * (HTTP/1.1 chunked coding), so a broadcast frames each event once, not once per connection.
 */
export class Frame {
  // Plain fields, not private ones behind getters: both are read once per delivery on the fan-out
  // path, where a getter measurably cost throughput.
  /** The event's wire form. */
  bytes: Buffer;
  /** The transport's framing of `bytes`, once set (see setTransport). */
  transport: Buffer | undefined = undefined;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  /**
   * Sets the transport's framing. When `framed` contains the bytes (at `offset`), `bytes` becomes a
   * view into it, so a frame kept in history holds one copy of the event, not two.
   */
  setTransport(framed: Buffer, offset: number): void {
    this.transport = framed;
    const view = framed.subarray(offset, offset + this.bytes.length);
    if (view.equals(this.bytes)) this.bytes = view;
  }

  /** Encodes `event` into a new Frame (throws `INVALID_EVENT` like `encodeEvent`). */
  static of(event: WireEvent): Frame {
    return new Frame(encodeEvent(event));
  }
}
