import type { Redis } from 'ioredis';
import type { BrokerEntry } from '../hub/broker.js';
import { IdWaiters } from './id-waiters.js';
import { readWithDeadline } from './read-deadline.js';
import { AckLedger } from './ack-ledger.js';
import { decodeEntry, entrySize, FLOOR_FIELD, type RawStreamEntry } from './stream-entry.js';
import { compareStreamIds, nextStreamId, ZERO_ID } from './stream-id.js';
import { streamInfo } from './stream-info.js';

/**
 * A hole in the live feed the broker could not avoid, reported to `onFeedGap`:
 * - `restarted`: the stream is a new one (Redis restarted without persistence, or the key was
 *   deleted). Entries the old one held that this process had not read yet are gone; the feed goes
 *   on with the new stream's entries.
 * - `trimmed`: the stream no longer holds `lastId` and has trimmed entries: while this process was
 *   cut off, more than `maxLen` entries were added and some it had not read were trimmed away (or a
 *   new stream already trimmed, which loses the same).
 * - `rewound`: Redis came back with older data than this process had read: restored from an older
 *   snapshot, failed over to a replica that lagged, or a new stream whose ids went backwards. What
 *   it lost after its last id cannot come back; the feed never delivers an id up to `lastId` again
 *   and makes Redis hand out ids above it.
 * - `lost`: the feed passed a loss marker above what it had delivered. A process (this one or
 *   another) found that Redis lost entries after a failover: ones a feed had read (the floor of a
 *   `rewound`), or ones Redis had acknowledged to a publisher that no feed had read yet. The log
 *   goes on; a client that resumes across the marker is sent a `herald:gap` there.
 */
export interface FeedGap {
  readonly reason: 'trimmed' | 'restarted' | 'rewound' | 'lost';
  /** The last id this process delivered before the hole. */
  readonly lastId: string;
}

/** Options of a StreamFeed. */
export interface StreamFeedOptions {
  /** Entries per XREAD (the batch one round trip brings). */
  batch: number;
  /** How long one XREAD blocks, ms. */
  blockMs: number;
  /**
   * How long past `blockMs` a read may go unanswered before the link is taken for dead, ms. A
   * network that silently drops packets (no RST, no FIN) leaves a blocked read waiting for TCP's
   * retransmission timeout (minutes) or keepalive (hours by default); past this the feed drops the
   * connection and reconnects, then resyncs as after any drop. So a feed cut off notices within
   * `blockMs + stallMs`.
   */
  stallMs?: number;
  onGap: ((gap: FeedGap) => void) | undefined;
  /**
   * The connection this process publishes on: where the feed checks an acknowledged id after a
   * reconnect and writes the loss marker for acknowledged entries Redis lost (see `acknowledged`).
   */
  commands?: () => Promise<Redis>;
}

/** Receives each entry the feed delivers, with its approximate size in memory (see `entrySize`). */
export type FeedDeliver = (entry: BrokerEntry, bytes: number) => void;

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
  #deliver: FeedDeliver = () => {};
  #lastId = ZERO_ID;
  #resync = false;
  #closed = false;
  #loop: Promise<void> | undefined;
  #waiters = new IdWaiters();
  #errors = 0;
  #stalls = 0;
  /** This process's acknowledged appends, until delivered (absent without `commands`). */
  #ledger: AckLedger | undefined;
  /** Bumped at every resync: reads before and after may come from different masters. */
  #generation = 0;

  constructor(conn: Redis, key: string, options: StreamFeedOptions) {
    this.#conn = conn;
    this.#key = key;
    this.#options = options;
    if (options.commands !== undefined) this.#ledger = new AckLedger(key, options.commands);
  }

  /** Reads that failed (the link dropped, or a command error); each is followed by a resync. */
  get errors(): number {
    return this.#errors;
  }

  /** Reads that went unanswered past `blockMs + stallMs` (each also counts in `errors`). */
  get stalls(): number {
    return this.#stalls;
  }

  /** Acknowledged appends of this process that Redis lost (announced by a loss entry). */
  get lost(): number {
    return this.#ledger?.lost ?? 0;
  }

  /** The feed's reconnect count: pass it to `acknowledged` as it was when the append was sent. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * This process's append `id`, acknowledged by Redis, sent when the feed's `generation` was
   * `sentAt`: expected through the feed (see AckLedger, which announces it if Redis lost it). One
   * at or below `lastId` came through already, on the same connection (after Redis came back with
   * older data, until a floor is written, an id handed out below `lastId` is not told apart). If
   * the feed reconnected meanwhile (perhaps to a new master), the stream is asked for the id.
   */
  acknowledged(id: string, sentAt: number): void {
    const ledger = this.#ledger;
    if (this.#closed || ledger === undefined) return;
    if (sentAt !== this.#generation) ledger.verify(id);
    else if (compareStreamIds(id, this.#lastId) > 0) ledger.expect(id);
  }

  /** The last id delivered (or the head the feed started at). */
  get lastId(): string {
    return this.#lastId;
  }

  /** Positions the feed at the stream's newest id (older entries are not delivered) and starts it. */
  async start(deliver: FeedDeliver): Promise<void> {
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
    return this.#waiters.wait(id, timeoutMs);
  }

  /** Stops the loop: disconnecting rejects the pending XREAD at once. */
  async close(): Promise<void> {
    // A loss entry under way is the only trace of what Redis lost: give it a moment.
    await this.#ledger?.close(this.#options.stallMs ?? 2_000);
    this.#closed = true;
    this.#waiters.cancel();
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
        const reply = (await this.#deadline(
          this.#conn.xread('COUNT', batch, 'BLOCK', blockMs, 'STREAMS', this.#key, this.#lastId),
        )) as [string, RawStreamEntry[]][] | null;
        if (reply !== null && !this.#closed) this.#deliverAll(reply[0]?.[1] ?? []);
      } catch {
        if (this.#closed) break;
        this.#errors++;
        this.#resync = true;
        await this.#whenReady();
      }
    }
  }

  /**
   * `read`, or a rejection once it has gone `blockMs + stallMs` unanswered: then the connection
   * is dropped and reconnected (ioredis rejects the stale read; its late answer, if any, can no
   * longer arrive), and the loop resyncs on the new one.
   */
  #deadline<T>(read: Promise<T>): Promise<T> {
    const { blockMs, stallMs } = this.#options;
    if (stallMs === undefined) return read;
    return readWithDeadline(read, blockMs + stallMs, () => {
      this.#stalls++;
      this.#conn.disconnect(true);
    });
  }

  #deliverAll(raw: readonly RawStreamEntry[]): void {
    const ledger = this.#ledger;
    for (const r of raw) {
      // A reply only holds ids after lastId; the check keeps "once" true even if it did not.
      const before = this.#lastId;
      if (compareStreamIds(r[0], before) <= 0) continue;
      this.#lastId = r[0];
      if (ledger?.waiting) ledger.passed(r[0]);
      const entry = decodeEntry(r);
      if (entry === undefined) continue;
      try {
        this.#deliver(entry, entrySize(r));
      } catch (err) {
        // The hub's fan-out does not throw; if it ever does, the loss must outlive it.
        process.emitWarning(err as Error);
      }
      // A loss marker above what this feed delivered: its subscribers may lack what was lost.
      if (entry.gap !== undefined && compareStreamIds(before, entry.gap) < 0)
        this.#options.onGap?.({ reason: 'lost', lastId: before });
    }
    this.#waiters.settle(this.#lastId);
  }

  /**
   * After a reconnect, before reading on. If the stream still holds `lastId`, nothing was lost:
   * resume from it. Otherwise report the hole, and never deliver an id up to `lastId` again:
   * - no key (Redis restarted empty): `restarted`; the new stream is read from its start, since
   *   none of its entries can have been delivered.
   * - the stream's ids end below `lastId`, or it spans `lastId` without holding it: `rewound`.
   *   Redis came back with older data (an older snapshot, a replica that lagged), or is a new
   *   stream whose ids went backwards. Whatever it holds up to `lastId` was either delivered
   *   already or cannot be told apart from what was: the feed stays at `lastId`. First it makes
   *   Redis hand out ids above `lastId` (see `#raiseFloor`), so ids never go backwards for
   *   clients: a Last-Event-ID handed out before stays ordered against every id handed out after.
   * - otherwise `lastId` was trimmed away while cut off: `trimmed`, or `restarted` when the
   *   stream never trimmed (a new stream whose ids already passed `lastId`).
   */
  async #resyncNow(): Promise<void> {
    this.#generation++;
    const last = this.#lastId;
    // Acknowledged before this look (those acknowledged during it are verified by the ledger): one
    // above the newest id the stream ever handed out cannot come back.
    const judged = this.#ledger?.snapshot();
    const info = await streamInfo(this.#conn, this.#key);
    // A stream that is gone restarted empty: `restarted` keeps live streams open (see FeedGap).
    if (judged !== undefined && info !== undefined)
      this.#ledger!.beyond(judged, info.lastGeneratedId);
    if (last === ZERO_ID) return;
    if (info !== undefined && (await this.#conn.xrange(this.#key, last, last)).length > 0) return;
    let reason: FeedGap['reason'];
    if (info === undefined) {
      this.#lastId = ZERO_ID;
      reason = 'restarted';
    } else if (compareStreamIds(info.lastGeneratedId, last) < 0) {
      await this.#raiseFloor(last);
      reason = 'rewound';
    } else if (info.firstId !== null && compareStreamIds(info.firstId, last) < 0) {
      // Older entries are there, `lastId` is not: not trimming (it removes the oldest only).
      reason = 'rewound';
    } else {
      reason = info.entriesAdded === info.length ? 'restarted' : 'trimmed';
    }
    this.#options.onGap?.({ reason, lastId: last });
  }

  /**
   * Appends a floor entry with the id just above `last` (see FLOOR_FIELD), so every id Redis hands
   * out from now on is above every id this process delivered. Redis refuses an explicit id that is
   * not above the stream's last one, so processes that race here never move ids backwards: the
   * highest floor wins, and a refusal means ids are above `last` already. Only an id this feed read
   * from Redis is ever used, never one a client sent. The floor's id is also where clients told of
   * the gap resume (the gap notice carries the head), so it stays resumable.
   */
  async #raiseFloor(last: string): Promise<void> {
    try {
      await this.#conn.xadd(this.#key, 'NOMKSTREAM', nextStreamId(last), FLOOR_FIELD, last);
    } catch (err) {
      if (!/equal or smaller/i.test((err as Error).message)) throw err;
    }
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
