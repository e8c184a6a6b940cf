import type { Redis } from 'ioredis';
import type { BrokerEntry } from '../hub/broker.js';
import { decodeEntry, type RawStreamEntry } from './stream-entry.js';
import { compareStreamIds, ZERO_ID } from './stream-id.js';
import { streamInfo } from './stream-info.js';

/**
 * A hole in the live feed the broker could not avoid, reported to `onFeedGap`:
 * - `restarted`: the stream is a new one (Redis restarted without persistence, or the key was
 *   deleted). Entries the old one held that this process had not read yet are gone; the feed goes
 *   on with the new stream's entries.
 * - `trimmed`: the stream no longer holds `lastId` and has trimmed entries: while this process was
 *   cut off, more than `maxLen` entries were added and some it had not read were trimmed away (or a
 *   new stream already trimmed, which loses the same).
 */
export interface FeedGap {
  readonly reason: 'trimmed' | 'restarted';
  /** The last id this process delivered before the hole. */
  readonly lastId: string;
}

/** Options of a StreamFeed. */
export interface StreamFeedOptions {
  /** Entries per XREAD (the batch one round trip brings). */
  batch: number;
  /** How long one XREAD blocks, ms. */
  blockMs: number;
  onGap: ((gap: FeedGap) => void) | undefined;
}

/** A replay waiting for the feed to reach its last id. */
interface Waiter {
  id: string;
  resolve: (reached: boolean) => void;
}

/**
 * The one read loop of a process: a dedicated connection blocked in `XREAD ... STREAMS key lastId`,
 * delivering each entry once, in id order, whatever the number of subscribers and topics. After the
 * connection drops it checks the stream before reading on (see `#resync`), then resumes from the
 * last id it delivered, so nothing is delivered twice.
 */
export class StreamFeed {
  #conn: Redis;
  #key: string;
  #options: StreamFeedOptions;
  #deliver: (entry: BrokerEntry) => void = () => {};
  #lastId = ZERO_ID;
  #resync = false;
  #closed = false;
  #loop: Promise<void> | undefined;
  #waiters: Waiter[] = [];

  constructor(conn: Redis, key: string, options: StreamFeedOptions) {
    this.#conn = conn;
    this.#key = key;
    this.#options = options;
  }

  /** The last id delivered (or the head the feed started at). */
  get lastId(): string {
    return this.#lastId;
  }

  /** Positions the feed at the stream's newest id (older entries are not delivered) and starts it. */
  async start(deliver: (entry: BrokerEntry) => void): Promise<void> {
    this.#deliver = deliver;
    this.#lastId = (await streamInfo(this.#conn, this.#key))?.lastGeneratedId ?? ZERO_ID;
    this.#conn.on('close', () => {
      this.#resync = true;
    });
    this.#loop = this.#run();
  }

  /**
   * Resolves true once the feed has delivered `id` (or anything after it), false after `timeoutMs`.
   * A replay read on another connection can see entries this feed has not delivered yet; waiting
   * for it means every entry up to the replay's end was delivered before the replay is handed over,
   * so the hub's de-duplication (held live entries up to the replay's last id) covers them all.
   */
  reached(id: string, timeoutMs: number): Promise<boolean> {
    if (compareStreamIds(this.#lastId, id) >= 0) return Promise.resolve(true);
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = {
        id,
        resolve: (ok: boolean) => {
          clearTimeout(timer);
          resolve(ok);
        },
      };
      const timer = setTimeout(() => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        resolve(false);
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Stops the loop: disconnecting rejects the pending XREAD at once. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w.resolve(false);
    this.#conn.disconnect();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { batch, blockMs } = this.#options;
    while (!this.#closed) {
      try {
        if (this.#resync) {
          this.#resync = false;
          await this.#resyncNow();
        }
        const reply = (await this.#conn.xread(
          'COUNT',
          batch,
          'BLOCK',
          blockMs,
          'STREAMS',
          this.#key,
          this.#lastId,
        )) as [string, RawStreamEntry[]][] | null;
        if (reply !== null && !this.#closed) this.#deliverAll(reply[0]?.[1] ?? []);
      } catch {
        if (this.#closed) break;
        this.#resync = true;
        await this.#whenReady();
      }
    }
  }

  #deliverAll(raw: readonly RawStreamEntry[]): void {
    for (const r of raw) {
      // A reply only holds ids after lastId; the check keeps "once" true even if it did not.
      if (compareStreamIds(r[0], this.#lastId) <= 0) continue;
      this.#lastId = r[0];
      const entry = decodeEntry(r);
      if (entry === undefined) continue;
      try {
        this.#deliver(entry);
      } catch (err) {
        // The hub's fan-out does not throw; if it ever does, the loop must outlive it.
        process.emitWarning(err as Error);
      }
    }
    if (this.#waiters.length > 0) {
      // One pass (a mass reconnect can leave thousands of replays waiting here).
      const due: Waiter[] = [];
      const still: Waiter[] = [];
      for (const w of this.#waiters)
        (compareStreamIds(this.#lastId, w.id) >= 0 ? due : still).push(w);
      if (due.length > 0) {
        this.#waiters = still;
        for (const w of due) w.resolve(true);
      }
    }
  }

  /**
   * After a reconnect, before reading on. If the stream still holds `lastId`, nothing was lost:
   * resume from it. Otherwise report the hole and resume where nothing already delivered comes
   * back: from `lastId` (XREAD returns what is retained after it), or from the start when the
   * stream's ids now end below `lastId` (a new stream whose ids went backwards, e.g. a server clock
   * set back). `restarted` when the stream is certainly new (no key, ids went backwards, or it
   * never trimmed yet lacks `lastId`), else `trimmed`.
   */
  async #resyncNow(): Promise<void> {
    const last = this.#lastId;
    if (last === ZERO_ID) return;
    const info = await streamInfo(this.#conn, this.#key);
    if (info !== undefined && (await this.#conn.xrange(this.#key, last, last)).length > 0) return;
    const backwards = info === undefined || compareStreamIds(info.lastGeneratedId, last) < 0;
    const neverTrimmed = info !== undefined && info.entriesAdded === info.length;
    if (backwards) this.#lastId = ZERO_ID;
    this.#options.onGap?.({
      reason: backwards || neverTrimmed ? 'restarted' : 'trimmed',
      lastId: last,
    });
  }

  /** Resolves once the connection is usable again (ioredis reconnects on its own) or closed. */
  #whenReady(): Promise<void> {
    return new Promise((resolve) => {
      const conn = this.#conn;
      // A command error on a live connection (e.g. the key holds another type): retry calmly.
      if (conn.status === 'ready') {
        setTimeout(resolve, 250);
        return;
      }
      const done = () => {
        conn.off('ready', done);
        conn.off('end', done);
        resolve();
      };
      conn.on('ready', done);
      conn.on('end', done);
    });
  }
}
