import type { LatencySampler } from './latency-sampler.js';

/** Two newlines end an SSE frame (WHATWG HTML 9.2.6: a blank line dispatches the event). */
const FRAME_END = Buffer.from('\n\n');
const LF = 10;
const CR = 13;

const State = { head: 0, size: 1, data: 2, dataEnd: 3 } as const;
type State = (typeof State)[keyof typeof State];

/**
 * Reads one SSE response off a raw socket and counts frames, cheaply: after the response head it
 * only searches for "\n\n" with the native `Buffer#indexOf`, carrying one flag across reads so a
 * terminator split between two chunks counts once. A chunked body is de-framed on the fly (the size
 * lines are the only bytes looked at one by one), so a chunk boundary inside a frame cannot hide or
 * invent a terminator. A sampled reader also hands the body to a {@link LatencySampler}.
 */
export class SseReader {
  /** Frames seen so far, comments and preambles included (the runner subtracts a baseline). */
  frames = 0;
  /** Status code of the response, 0 until the head has arrived. */
  status = 0;
  #state: State = State.head;
  #head = '';
  #chunked = false;
  #remaining = 0;
  #size = 0;
  #sizeDone = false;
  #prevLf = false;
  readonly #sampler: LatencySampler | undefined;

  constructor(sampler?: LatencySampler) {
    this.#sampler = sampler;
  }

  /** True once the response head has been read. */
  get subscribed(): boolean {
    return this.#state !== State.head;
  }

  /** Feeds bytes `[0, end)` of `buf`, read at absolute time `now` (ms). */
  feed(buf: Buffer, end: number, now: number): void {
    let pos = 0;
    if (this.#state === State.head) {
      pos = this.#readHead(buf, end);
      if (pos < 0) return;
    }
    if (!this.#chunked) {
      this.#body(buf, pos, end, now);
      return;
    }
    while (pos < end) {
      if (this.#state === State.data) {
        const stop = Math.min(end, pos + this.#remaining);
        this.#body(buf, pos, stop, now);
        this.#remaining -= stop - pos;
        pos = stop;
        if (this.#remaining === 0) this.#state = State.dataEnd;
      } else if (this.#state === State.dataEnd) {
        // The CRLF after a chunk's data: skip both bytes, whichever read they arrive in.
        if (buf[pos++] === LF) this.#state = State.size;
      } else {
        pos = this.#readSize(buf, pos, end);
      }
    }
  }

  #readHead(buf: Buffer, end: number): number {
    const before = this.#head.length;
    this.#head += buf.toString('latin1', 0, end);
    const at = this.#head.indexOf('\r\n\r\n');
    if (at < 0) return -1;
    const head = this.#head.slice(0, at).toLowerCase();
    this.status = Number(head.slice(9, 12));
    this.#chunked = /\r\ntransfer-encoding:[^\r]*chunked/.test(head);
    this.#head = '';
    this.#state = this.#chunked ? State.size : State.data;
    return at + 4 - before;
  }

  #readSize(buf: Buffer, pos: number, end: number): number {
    while (pos < end) {
      const byte = buf[pos++]!;
      if (byte === LF) {
        this.#remaining = this.#size;
        this.#size = 0;
        this.#sizeDone = false;
        // A zero-size chunk ends the body; the reader then just idles.
        this.#state = this.#remaining === 0 ? State.dataEnd : State.data;
        return pos;
      }
      if (this.#sizeDone || byte === CR) continue;
      const digit = byte <= 57 ? byte - 48 : (byte | 32) - 87;
      if (digit < 0 || digit > 15) this.#sizeDone = true;
      else this.#size = this.#size * 16 + digit;
    }
    return pos;
  }

  #body(buf: Buffer, start: number, end: number, now: number): void {
    if (start >= end) return;
    this.#sampler?.feed(buf.toString('latin1', start, end), now);
    let pos = start;
    if (this.#prevLf && buf[start] === LF) {
      this.frames++;
      pos = start + 1;
    }
    let at = buf.indexOf(FRAME_END, pos);
    while (at !== -1 && at + 1 < end) {
      this.frames++;
      pos = at + 2;
      at = buf.indexOf(FRAME_END, pos);
    }
    // A trailing LF that already closed a frame must not pair with the next read's first byte.
    this.#prevLf = pos < end && buf[end - 1] === LF;
  }
}
