import type { Frame } from '../wire/frame.js';
import type { WireEvent } from '../wire/message-event.js';
import type { Producer, ProducerSink } from './producer-sink.js';

/**
 * The key of the fast path: a source that has this method writes frames encoded once for many
 * connections straight into the sink, instead of yielding events to be encoded per connection.
 */
export const ATTACH_FRAMES: unique symbol = Symbol.for('herald.attachFrames') as never;

/** A sink that takes pre-encoded frames (a connection). */
export interface FrameSink extends ProducerSink {
  /** Queues a frame; false once the client has as much waiting as a paced producer should give. */
  sendFrame(frame: Frame): boolean;
  send(event: WireEvent): void;
  /** Why the sink closed, once it has (e.g. `slow-consumer`). */
  readonly closeReason?: string | undefined;
}

/** A producer that may need time (an authorization check) before the stream may start. */
export interface AttachedProducer extends Producer {
  /** Settles when streaming may begin; a rejection refuses the stream before any byte is sent. */
  readonly ready?: Promise<void>;
}

/** A source that writes frames into a sink itself (the Hub's subscriptions). */
export interface FrameSource {
  [ATTACH_FRAMES](sink: FrameSink): AttachedProducer;
}

/** True when `source` implements the frame fast path. */
export function isFrameSource(source: unknown): source is FrameSource {
  return (
    source !== null &&
    typeof source === 'object' &&
    typeof (source as Partial<FrameSource>)[ATTACH_FRAMES] === 'function'
  );
}
