import { encodeEvent } from './encode.js';
import type { WireEvent } from './message-event.js';

/**
 * An event encoded once, to be written to any number of connections. `bytes` is the event's wire
 * form; `transport` is a slot the transport fills at most once with its own framing of those bytes
 * (HTTP/1.1 chunked coding), so a broadcast frames each event once, not once per connection.
 */
export class Frame {
  readonly bytes: Buffer;
  transport: Buffer | undefined = undefined;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  /** Encodes `event` into a new Frame (throws `INVALID_EVENT` like `encodeEvent`). */
  static of(event: WireEvent): Frame {
    return new Frame(encodeEvent(event));
  }
}
