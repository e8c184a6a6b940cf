import { randomBytes } from 'node:crypto';
import type { BrokerEntry, HubBroker, ReplayResult, StoredEvent } from './broker.js';

/** Bounds of a hub's retained history. */
export interface HistoryOptions {
  /** Most events kept (all topics together). Default 10,000. */
  maxEvents?: number;
  /** Oldest event kept, in ms. Default 10 minutes. */
  maxAgeMs?: number;
  /**
   * Most bytes kept: the events' encoded size (each costs about 2x that in memory, with its frame).
   * Default 64 MiB.
   */
  maxBytes?: number;
}

export const DEFAULT_HISTORY = {
  maxEvents: 10_000,
  maxAgeMs: 10 * 60_000,
  maxBytes: 64 * 1024 * 1024,
} as const;

/**
 * The embedded broker: one process, history in a ring buffer, delivery synchronous with `append`.
 *
 * Ids are `<epoch>-<seq>`: `seq` counts up from 1 (`0` names the start, given in a gap notice before
 * any publish), `epoch` is random per broker, so an id handed out before a restart is recognized as
 * unknown (a gap), never mistaken for a recent one.
 */
export class MemoryBroker implements HubBroker {
  readonly epoch = randomBytes(4).toString('hex');
  #ring: Array<BrokerEntry | undefined>;
  #times: Float64Array;
  #sizes: Float64Array;
  #maxAgeMs: number;
  #maxBytes: number;
  /** Encoded bytes of the retained entries. */
  #bytes = 0;
  #seq = 0;
  /** Seq of the oldest retained entry (seq + 1 when nothing is retained). */
  #oldest = 1;
  #deliver: ((entry: BrokerEntry) => void) | undefined;

  constructor(history: HistoryOptions = {}) {
    const maxEvents = history.maxEvents ?? DEFAULT_HISTORY.maxEvents;
    if (!Number.isSafeInteger(maxEvents) || maxEvents < 0) {
      throw new RangeError(`history.maxEvents must be a non-negative integer, got ${maxEvents}`);
    }
    this.#ring = new Array(maxEvents).fill(undefined);
    this.#times = new Float64Array(maxEvents);
    this.#sizes = new Float64Array(maxEvents);
    this.#maxAgeMs = history.maxAgeMs ?? DEFAULT_HISTORY.maxAgeMs;
    this.#maxBytes = history.maxBytes ?? DEFAULT_HISTORY.maxBytes;
    if (!(this.#maxBytes >= 0)) {
      throw new RangeError(`history.maxBytes must be a non-negative number, got ${this.#maxBytes}`);
    }
  }

  start(deliver: (entry: BrokerEntry) => void): void {
    this.#deliver = deliver;
  }

  append(topic: string, event: StoredEvent, size = 0): string {
    const seq = ++this.#seq;
    const entry: BrokerEntry = { id: `${this.epoch}-${seq}`, topic, event };
    const cap = this.#ring.length;
    if (cap > 0) {
      const now = Date.now();
      // The ring is full: the oldest entry makes room.
      if (seq - this.#oldest >= cap) this.#drop();
      this.#ring[seq % cap] = entry;
      this.#times[seq % cap] = now;
      this.#sizes[seq % cap] = size;
      this.#bytes += size;
      this.#prune(now);
    } else {
      this.#oldest = seq + 1;
    }
    this.#deliver?.(entry);
    return entry.id;
  }

  readAfter(id: string, limit = Number.POSITIVE_INFINITY): ReplayResult {
    this.#prune(Date.now());
    const seq = this.#seqOf(id);
    // Covered when every entry after `seq` is still retained: seq is at most one before the oldest.
    if (seq === undefined || seq > this.#seq || seq < this.#oldest - 1) {
      // The head is the newest id handed out even when age has emptied the history (`-0` before the
      // first publish): a client resuming from it gets everything after the notice, none lost.
      return {
        kind: 'gap',
        oldestId: this.#idAt(this.#oldest),
        headId: `${this.epoch}-${this.#seq}`,
      };
    }
    return { kind: 'ok', entries: this.#range(seq + 1, limit) };
  }

  head(): string {
    return `${this.epoch}-${this.#seq}`;
  }

  readAll(): readonly BrokerEntry[] {
    this.#prune(Date.now());
    return this.#range(this.#oldest);
  }

  compare(a: string, b: string): number {
    return (this.#seqOf(a) ?? 0) - (this.#seqOf(b) ?? 0);
  }

  close(): void {
    this.#deliver = undefined;
  }

  #range(from: number, limit = Number.POSITIVE_INFINITY): BrokerEntry[] {
    const out: BrokerEntry[] = [];
    const cap = this.#ring.length;
    const to = Math.min(this.#seq, from + limit - 1);
    for (let s = from; s <= to; s++) out.push(this.#ring[s % cap]!);
    return out;
  }

  #idAt(seq: number): string | null {
    return seq >= this.#oldest && seq <= this.#seq && seq > 0 ? `${this.epoch}-${seq}` : null;
  }

  #seqOf(id: string): number | undefined {
    const dash = id.indexOf('-');
    if (dash < 0 || id.slice(0, dash) !== this.epoch) return undefined;
    const digits = id.slice(dash + 1);
    if (!/^(0|[1-9]\d{0,15})$/.test(digits)) return undefined;
    return Number(digits);
  }

  /** Drops entries older than maxAgeMs, then the oldest while over maxBytes; O(1) when nothing is due. */
  #prune(now: number): void {
    const cap = this.#ring.length;
    const limit = now - this.#maxAgeMs;
    while (this.#oldest <= this.#seq && this.#times[this.#oldest % cap]! < limit) this.#drop();
    // The newest entry stays even when it alone is over the bound: a resume still finds it.
    while (this.#bytes > this.#maxBytes && this.#oldest < this.#seq) this.#drop();
  }

  #drop(): void {
    const at = this.#oldest % this.#ring.length;
    this.#ring[at] = undefined;
    this.#bytes -= this.#sizes[at]!;
    this.#sizes[at] = 0;
    this.#oldest++;
  }
}
