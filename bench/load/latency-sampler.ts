/**
 * Reads the publish timestamp out of every Kth data frame of one connection and records how long
 * the event took to arrive. Servers put the timestamp (ms, `performance.timeOrigin +
 * performance.now()`) first in the event data; a JSON-encoding peer may wrap it in quotes, so the
 * number is read from the first digit after `data:`.
 */
export class LatencySampler {
  #text = '';
  #seen = 0;
  readonly #every: number;
  readonly #out: number[];

  /** Records into `out`, one latency (ms) per sampled frame. */
  constructor(every: number, out: number[]) {
    this.#every = Math.max(1, every);
    this.#out = out;
  }

  /** Starts counting frames afresh (the runner's baseline). */
  reset(): void {
    this.#seen = 0;
  }

  /** Takes a piece of the de-chunked body, read at absolute time `now` (ms). */
  feed(text: string, now: number): void {
    this.#text += text;
    let start = 0;
    let end = this.#text.indexOf('\n\n');
    while (end !== -1) {
      this.#frame(this.#text.slice(start, end), now);
      start = end + 2;
      end = this.#text.indexOf('\n\n', start);
    }
    this.#text = this.#text.slice(start);
  }

  #frame(frame: string, now: number): void {
    const data = frame.startsWith('data:') ? 0 : frame.indexOf('\ndata:') + 1;
    if (data === 0 && !frame.startsWith('data:')) return;
    if (this.#seen++ % this.#every !== 0) return;
    const match = /[0-9][0-9.]*/.exec(frame.slice(data + 5, data + 40));
    const stamp = match === null ? Number.NaN : Number(match[0]);
    if (Number.isFinite(stamp)) this.#out.push(now - stamp);
  }
}
