import type { BrokerEntry } from '../hub/broker.js';
import { compareStreamIds } from './stream-id.js';

/** How much of the feed a ReplayWindow keeps; whichever bound is reached first evicts. */
export interface ReplayWindowLimits {
  /** Most entries kept (0 keeps none). */
  entries: number;
  /** Most bytes kept, as estimated by the feed (`entrySize`). */
  bytes: number;
}

/**
 * The entries this process's feed delivered most recently, oldest first, with no entry of the log
 * missing between the first and the last: it is cleared whenever the feed has a hole, and only
 * ever loses its oldest entries. So when a resume's id is one of its entries, everything after it,
 * up to what the feed delivered, is here: the replay needs no Redis round trip and no JSON decode,
 * and it is made of the very objects the feed delivered, on which the hub caches each entry's
 * encoded frame. However many clients resume over the same range, they send the same bytes.
 */
export class ReplayWindow {
  #limits: ReplayWindowLimits;
  #entries: BrokerEntry[] = [];
  #sizes: number[] = [];
  /** Index of the oldest entry still in the window (evicted ones are compacted away in bulk). */
  #start = 0;
  #bytes = 0;

  constructor(limits: ReplayWindowLimits) {
    this.#limits = limits;
  }

  /** Entries in the window now. */
  get size(): number {
    return this.#entries.length - this.#start;
  }

  /** The oldest and newest ids in the window (undefined when empty). */
  get range(): { first: string; last: string } | undefined {
    if (this.size === 0) return undefined;
    return { first: this.#entries[this.#start]!.id, last: this.#entries.at(-1)!.id };
  }

  /** Adds the entry the feed delivered next (ids only go up), evicting the oldest past the bounds. */
  push(entry: BrokerEntry, bytes: number): void {
    if (this.#limits.entries <= 0) return;
    this.#entries.push(entry);
    this.#sizes.push(bytes);
    this.#bytes += bytes;
    while (
      this.size > this.#limits.entries ||
      (this.#bytes > this.#limits.bytes && this.size > 0)
    ) {
      this.#bytes -= this.#sizes[this.#start]!;
      this.#start++;
    }
    // Compact in bulk: one copy per (at least) half a window of evictions, not a shift per entry.
    if (this.#start > 1024 && this.#start * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#start);
      this.#sizes = this.#sizes.slice(this.#start);
      this.#start = 0;
    }
  }

  /** Forgets everything: the feed had a hole, so what comes next does not join what was here. */
  clear(): void {
    this.#entries = [];
    this.#sizes = [];
    this.#start = 0;
    this.#bytes = 0;
  }

  /**
   * The entries after `id` (at most `limit`), when `id` is an entry of the window; undefined
   * otherwise (older than the window, never delivered here, not an id at all): Redis decides.
   */
  after(id: string, limit = Number.POSITIVE_INFINITY): BrokerEntry[] | undefined {
    const at = this.#lowerBound(id);
    if (this.#entries[at]?.id !== id) return undefined;
    const end = Math.min(this.#entries.length, at + 1 + limit);
    return this.#entries.slice(at + 1, end);
  }

  /**
   * Replaces, in place, the entries of `entries` (read from Redis, oldest first) that the window
   * holds by the window's own objects, so a replay read from Redis that reaches into the window
   * still shares their frames. Returns `entries`.
   */
  share(entries: BrokerEntry[]): BrokerEntry[] {
    if (entries.length === 0 || this.size === 0) return entries;
    let w = this.#lowerBound(entries[0]!.id);
    for (let i = 0; i < entries.length && w < this.#entries.length; i++) {
      const c = compareStreamIds(entries[i]!.id, this.#entries[w]!.id);
      if (c === 0) entries[i] = this.#entries[w++]!;
      else if (c > 0) {
        w++;
        i--;
      }
    }
    return entries;
  }

  /** The first index (from the oldest kept) whose id is not below `id`. */
  #lowerBound(id: string): number {
    let lo = this.#start;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareStreamIds(this.#entries[mid]!.id, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
