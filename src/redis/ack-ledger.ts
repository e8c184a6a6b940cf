import type { Redis } from 'ioredis';
import { LOST_FIELD, type RawStreamEntry } from './stream-entry.js';
import { compareStreamIds, nextStreamId } from './stream-id.js';
import { streamInfo } from './stream-info.js';

/**
 * This process's appends to one stream that Redis acknowledged, until its feed delivers them.
 *
 * With asynchronous replication a master can acknowledge an entry and die before its replica has
 * it. If no feed had read it either, only its publisher knows it existed: no reader can tell that
 * anything is missing. So the feed expects each of its process's acknowledged appends. One it reads
 * past without delivering, or one above the newest id the stream ever handed out after a
 * reconnect, is lost unless trimming removed it (below the oldest entry retained: a feed that fell
 * more than `maxLen` behind, which the feed reports as `trimmed`). The ledger then appends one
 * loss entry (`LOST_FIELD`) just above the highest id lost, which every process's feed and every
 * replay meets: each client that could have had the lost entries is sent a `herald:gap` there.
 *
 * Cost on the feed's path: one length check per entry delivered, and while this process has
 * appends in flight, one id comparison (a queue with a head index: no per-entry allocation).
 */
export class AckLedger {
  #key: string;
  #commands: () => Promise<Redis>;
  /** Acknowledged ids above the feed's position, ascending, from `#head`. */
  #pending: string[] = [];
  #head = 0;
  /** Checks and loss entries being written (awaited, bounded, on close). */
  #writes = new Set<Promise<void>>();
  #lost = 0;
  #closed = false;

  constructor(key: string, commands: () => Promise<Redis>) {
    this.#key = key;
    this.#commands = commands;
  }

  /** Acknowledged appends found lost and announced by a loss entry. */
  get lost(): number {
    return this.#lost;
  }

  /** True while some acknowledged append has not come through the feed. */
  get waiting(): boolean {
    return this.#head < this.#pending.length;
  }

  /** Expects `id` (acknowledged, above the feed's position) to come through the feed. */
  expect(id: string): void {
    const pending = this.#pending;
    // Acknowledgements arrive in id order on one connection: almost always a push.
    let i = pending.length;
    while (i > this.#head && compareStreamIds(pending[i - 1]!, id) > 0) i--;
    if (i === pending.length) pending.push(id);
    else pending.splice(i, 0, id);
  }

  /** The feed read `id` (ids only grow): settles what it expected up to it. */
  passed(id: string): void {
    const pending = this.#pending;
    let suspects: string[] | undefined;
    while (this.#head < pending.length && compareStreamIds(pending[this.#head]!, id) <= 0) {
      const expected = pending[this.#head++]!;
      if (expected === id) continue;
      suspects ??= [];
      suspects.push(expected);
    }
    if (this.#head === pending.length) {
      pending.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > pending.length) {
      this.#pending = pending.slice(this.#head);
      this.#head = 0;
    }
    if (suspects !== undefined) this.#track(this.#check(suspects));
  }

  /** What is expected now (a copy), to judge against a look at the stream that follows. */
  snapshot(): string[] {
    return this.#pending.slice(this.#head);
  }

  /**
   * After a reconnect: of `judged` (a snapshot taken before the look), ids above `reached`, the
   * newest id the stream ever handed out, are lost (trimming never removes ids above it).
   */
  beyond(judged: readonly string[], reached: string): void {
    const gone = judged.filter((id) => compareStreamIds(id, reached) > 0);
    if (gone.length === 0) return;
    const drop = new Set(gone);
    this.#pending = this.#pending.slice(this.#head).filter((id) => !drop.has(id));
    this.#head = 0;
    this.#track(this.#announce(gone));
  }

  /** `id` was acknowledged across a reconnect (perhaps by a master since replaced): is it there? */
  verify(id: string): void {
    this.#track(this.#check([id]));
  }

  /** Waits (at most `ms`) for checks and loss entries under way, then stops them. */
  async close(ms: number): Promise<void> {
    if (this.#writes.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.#writes]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, ms);
        }),
      ]);
      clearTimeout(timer);
    }
    this.#closed = true;
  }

  #track(work: Promise<void>): void {
    this.#writes.add(work);
    void work.finally(() => this.#writes.delete(work));
  }

  /** Announces the ids of `ids` the stream lacks, but not those trimming removed. */
  async #check(ids: readonly string[]): Promise<void> {
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        const conn = await this.#commands();
        const info = await streamInfo(conn, this.#key);
        const found = await Promise.all(
          ids.map(
            async (id) => ((await conn.xrange(this.#key, id, id)) as RawStreamEntry[]).length,
          ),
        );
        const lost = ids.filter((id, i) => {
          if (found[i]! > 0) return false;
          // The stream never reached it: lost. Below what it retains: trimmed, or a stream that
          // restarted empty (the feed reports `restarted`, and live streams stay open).
          if (info === undefined || compareStreamIds(id, info.lastGeneratedId) > 0) return true;
          return info.firstId !== null && compareStreamIds(id, info.firstId) > 0;
        });
        if (lost.length > 0) await this.#announce(lost);
        return;
      } catch {
        await backoff(attempt);
      }
    }
  }

  /**
   * Appends the loss entry for `ids`: just above the highest when the stream is below it (so every
   * client that could have had them is below the entry), else at the stream's next id. Tried until
   * written or closed: it is the only trace of what was lost.
   */
  async #announce(ids: readonly string[]): Promise<void> {
    const top = ids.reduce((a, b) => (compareStreamIds(a, b) >= 0 ? a : b));
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        const conn = await this.#commands();
        try {
          await conn.xadd(this.#key, nextStreamId(top), LOST_FIELD, top);
        } catch (err) {
          if (!/equal or smaller/i.test((err as Error).message)) throw err;
          await conn.xadd(this.#key, '*', LOST_FIELD, top);
        }
        this.#lost += ids.length;
        return;
      } catch {
        await backoff(attempt);
      }
    }
  }
}

/** Waits before another try at a command Redis failed: 100 ms doubling to 2 s. */
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** attempt)).unref());
}
