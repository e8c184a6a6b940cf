import http from 'node:http';
import { createEventStreamParser } from '#herald/wire/parse-event-stream.js';
import { createParser } from 'eventsource-parser';

export interface ParsedEvent {
  id: string | undefined;
  type: string | undefined;
  data: string;
}

/**
 * An SSE client on node:http that reconnects with the Last-Event-ID it actually received, as a
 * browser does (an `id:` in a block without data counts too), and can be cut off on purpose after
 * a given number of events.
 */
export class ResumingClient {
  readonly events: ParsedEvent[] = [];
  readonly notices: ParsedEvent[] = [];
  lastId: string | undefined;
  connections = 0;
  #url: string;
  #cuts: number[];
  #req: http.ClientRequest | undefined;
  #closed = false;
  #waiters: Array<{ n: number; resolve: () => void }> = [];

  /** `cuts`: event counts at which to drop the connection and reconnect (ascending). */
  constructor(url: string, cuts: number[] = []) {
    this.#url = url;
    this.#cuts = [...cuts];
  }

  /** Opens the stream; resolves when the response head arrives. */
  connect(): Promise<void> {
    this.connections++;
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (this.lastId !== undefined && this.lastId !== '') headers['Last-Event-ID'] = this.lastId;
    return new Promise((resolve, reject) => {
      const req = http.get(this.#url, { headers, agent: false }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`status ${res.statusCode}`));
          res.resume();
          return;
        }
        resolve();
        const parser = createEventStreamParser(createParser, (e) => this.#onEvent(e, req), {
          lastEventId: this.lastId ?? '',
        });
        res.on('data', (chunk: Buffer) => {
          parser.push(chunk);
          // What a browser would send on reconnect: set at every blank line, with or without data.
          if (req === this.#req && parser.lastEventId !== '') this.lastId = parser.lastEventId;
        });
        res.on('error', () => {});
        res.on('close', () => this.#onClose(req));
      });
      req.on('error', (err) => {
        if (this.#req === req && !this.#closed) reject(err);
      });
      this.#req = req;
    });
  }

  /** Resolves once `n` events (not counting hub notices) have arrived. */
  received(n: number, ms = 30_000): Promise<void> {
    if (this.events.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.events.length}/${n} events`)),
        ms,
      );
      this.#waiters.push({
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  close(): void {
    this.#closed = true;
    this.#req?.destroy();
  }

  #onEvent(e: { id: string; type: string; data: string }, req: http.ClientRequest): void {
    if (req !== this.#req) return;
    if (e.id !== '') this.lastId = e.id;
    const event = { id: e.id === '' ? undefined : e.id, type: e.type, data: e.data };
    if (e.type.startsWith('herald:')) this.notices.push(event);
    else this.events.push(event);
    const due = this.#waiters.filter((w) => this.events.length >= w.n);
    this.#waiters = this.#waiters.filter((w) => this.events.length < w.n);
    for (const w of due) w.resolve();
    if (this.#cuts.length > 0 && this.events.length >= this.#cuts[0]!) {
      this.#cuts.shift();
      req.destroy();
    }
  }

  #onClose(req: http.ClientRequest): void {
    if (req !== this.#req || this.#closed) return;
    // Reconnect at once (a browser waits `retry` ms; the wait does not change what is replayed).
    setImmediate(() => this.#reconnect());
  }

  /**
   * Tries again 10 ms after a failed attempt: a busy server may not yet have seen this client's
   * previous stream close, and refuses it (429) while that one still counts against its address.
   */
  #reconnect(): void {
    if (this.#closed) return;
    this.connect().catch(() => setTimeout(() => this.#reconnect(), 10));
  }
}

/** A small seeded PRNG (mulberry32), so a failing run can be repeated with its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
