import type { Frame } from '../wire/frame.js';

/**
 * What a producer did while being subscribed, before the stream's head was written: the frames it
 * yielded, whether it failed or completed. Rare (most sources yield later), so a connection only
 * makes one when it needs it. What was emitted is sent: the head goes out with these frames, then
 * the failure as an `error` event; only a failure with nothing emitted answers a status instead.
 */
export class EarlyOutput {
  readonly frames: Frame[] = [];
  /** Their size in bytes (they count as the client's unsent bytes). */
  bytes = 0;
  /** The first failure, if any (later ones are the same failure told again). */
  failure: { error: unknown } | undefined = undefined;
  completed = false;

  hold(frame: Frame): void {
    this.frames.push(frame);
    this.bytes += frame.bytes.length;
  }

  fail(error: unknown): void {
    this.failure ??= { error };
  }
}
