import type { Redis } from 'ioredis';
import { IdWaiters } from '../id-waiters.js';
import { nodeOfSlot } from '../node-of-slot.js';
import { readWithDeadline } from '../read-deadline.js';
import type { RawStreamEntry } from '../stream-entry.js';
import { compareStreamIds, ZERO_ID } from '../stream-id.js';
import { runKeysOfLog } from './run-keys.js';
import type { RunScripts } from './run-scripts.js';

/** One run's stream as the feed reads it. */
interface Followed {
  last: string;
  deliver: (raw: RawStreamEntry) => void;
  waiters: IdWaiters;
}

// Short enough that a follow the unblock missed (see #unblock) waits little; long enough to cost
// nothing while runs are quiet.
const BLOCK_MS = 2_000;

/**
 * A read loop for runs: a dedicated connection blocked in one `XREAD ... STREAMS <log of every run
 * followed here> <last id of each>`, delivering each entry once, in id order per run. However many
 * runs and followers a process has, that is one connection on one server, and one per shard on a
 * Redis Cluster (the runs of a shard share its slot, see run-keys.ts; one `XREAD` cannot span
 * slots). When the set of runs changes, the blocked read is interrupted (`CLIENT UNBLOCK` from the
 * commands connection, sent to the node holding `slot`) and issued again with the new set.
 */
export class RunFeed {
  #conn: Redis;
  #commands: () => Promise<Redis>;
  #batch: number;
  #runs = new Map<string, Followed>();
  /** Bumped at every change of the set; `#reading` is the value the XREAD in flight was sent at. */
  #changed = 0;
  #reading: number | undefined;
  #clientId: string | undefined;
  #idle: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  /** The node connection `#clientId` belongs to (on a cluster, the slot's master may change). */
  #clientNode: Redis | undefined;
  #slot: number;
  #stallMs: number | undefined;
  #scripts: () => Promise<RunScripts>;
  /** A read failed: before reading on, check each run's log still reaches what was delivered. */
  #resync = false;
  #closed = false;

  /**
   * `slot`: where every run this feed follows lives (it routes CLIENT ID/UNBLOCK on a cluster).
   * `stallMs`: how long past its block a read may go unanswered before the link is taken for dead
   * and reconnected (see `StreamFeed`'s option of that name).
   */
  constructor(
    conn: Redis,
    commands: () => Promise<Redis>,
    scripts: () => Promise<RunScripts>,
    batch: number,
    slot = 0,
    stallMs?: number,
  ) {
    this.#conn = conn;
    this.#commands = commands;
    this.#scripts = scripts;
    this.#batch = batch;
    this.#slot = slot;
    this.#stallMs = stallMs;
    conn.on('close', () => {
      this.#clientId = undefined;
    });
  }

  /**
   * Follows the run stream `key` from its newest entry: resolves once the feed will deliver every
   * entry after it. Replays read the rest (and wait with `reached` so the two meet exactly).
   */
  async follow(key: string, deliver: (raw: RawStreamEntry) => void): Promise<void> {
    const commands = await this.#commands();
    const newest = (await commands.xrevrange(key, '+', '-', 'COUNT', 1)) as RawStreamEntry[];
    this.#runs.set(key, { last: newest[0]?.[0] ?? ZERO_ID, deliver, waiters: new IdWaiters() });
    this.#loop ??= this.#run();
    this.#changed++;
    this.#idle?.();
    void this.#unblock();
  }

  /** Stops delivering `key` (the next read leaves it out). */
  unfollow(key: string): void {
    const run = this.#runs.get(key);
    if (run === undefined) return;
    this.#runs.delete(key);
    this.#changed++;
    run.waiters.cancel();
  }

  /** The last id delivered for `key`. */
  lastId(key: string): string | undefined {
    return this.#runs.get(key)?.last;
  }

  /** Resolves true once `id` of `key` was delivered, false after `timeoutMs` (or unfollowed). */
  reached(key: string, id: string, timeoutMs: number): Promise<boolean> {
    const run = this.#runs.get(key);
    if (run === undefined) return Promise.resolve(false);
    if (compareStreamIds(run.last, id) >= 0) return Promise.resolve(true);
    return run.waiters.wait(id, timeoutMs);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const key of [...this.#runs.keys()]) this.unfollow(key);
    this.#idle?.();
    this.#conn.disconnect();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      try {
        if (this.#runs.size === 0) {
          await new Promise<void>((resolve) => {
            this.#idle = resolve;
          });
          this.#idle = undefined;
          continue;
        }
        if (this.#resync) {
          await this.#floors();
          this.#resync = false;
        }
        const node = nodeOfSlot(this.#conn, this.#slot);
        if (node !== this.#clientNode) this.#clientId = undefined;
        this.#clientNode = node;
        this.#clientId ??= node && String(await node.call('CLIENT', 'ID'));
        const keys = [...this.#runs.keys()];
        const ids = keys.map((k) => this.#runs.get(k)!.last);
        this.#reading = this.#changed;
        const read = this.#conn.xread(
          'COUNT',
          this.#batch,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...keys,
          ...ids,
        );
        const reply = (await (this.#stallMs === undefined
          ? read
          : readWithDeadline(read, BLOCK_MS + this.#stallMs, () => this.#conn.disconnect(true)))) as
          | [string, RawStreamEntry[]][]
          | null;
        this.#reading = undefined;
        for (const [key, entries] of reply ?? []) this.#deliver(key, entries);
      } catch {
        this.#reading = undefined;
        this.#clientId = undefined;
        this.#resync = true;
        if (this.#closed) break;
        await this.#whenUsable();
      }
    }
  }

  #deliver(key: string, entries: readonly RawStreamEntry[]): void {
    const run = this.#runs.get(key);
    if (run === undefined) return;
    for (const raw of entries) {
      if (compareStreamIds(raw[0], run.last) <= 0) continue;
      run.last = raw[0];
      try {
        run.deliver(raw);
      } catch (err) {
        process.emitWarning(err as Error);
      }
    }
    run.waiters.settle(run.last);
  }

  /**
   * After a reconnect, perhaps to a replica promoted in a failover that lacks entries this feed
   * delivered: for each run whose log now ends below its last delivered id, a loss entry just
   * above that id (the `floor` script), so every follower elsewhere that had not read them is told
   * in order, and the run's ids go on above every id handed out (the feed skips ids at or below
   * what it delivered). Throws while Redis is unreachable (the loop retries); a run whose check
   * fails for another reason (its keys changed type, say) does not hold up the others' reads.
   */
  async #floors(): Promise<void> {
    const scripts = await this.#scripts();
    const checks = [...this.#runs]
      .filter(([, run]) => run.last !== ZERO_ID)
      .map(([key, run]) => scripts.floor(runKeysOfLog(key), run.last));
    for (const result of await Promise.allSettled(checks)) {
      // Redis answered with an error (a ReplyError): that run's keys, not the link. Else retry.
      if (result.status === 'rejected' && (result.reason as Error).name !== 'ReplyError')
        throw result.reason;
    }
  }

  /**
   * The XREAD in flight may have been sent before the set changed: unblock it so the loop reads
   * again with the new set. An unblock that reaches Redis before the XREAD does nothing, so it is
   * tried again a little later while that read is still the stale one.
   */
  async #unblock(): Promise<void> {
    for (let i = 0; i < 40; i++) {
      const id = this.#clientId;
      if (this.#closed || this.#reading === undefined || this.#reading >= this.#changed) return;
      if (id === undefined) return;
      try {
        const node = nodeOfSlot(await this.#commands(), this.#slot);
        if (node === undefined) return;
        await node.call('CLIENT', 'UNBLOCK', id);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** After a failed read: once the connection is usable again (ioredis reconnects), or closed. */
  #whenUsable(): Promise<void> {
    const conn = this.#conn;
    return new Promise((resolve) => {
      if (conn.status === 'ready') {
        setTimeout(resolve, 250);
        return;
      }
      const done = (): void => {
        conn.off('ready', done);
        conn.off('end', done);
        resolve();
      };
      conn.on('ready', done);
      conn.on('end', done);
    });
  }
}
