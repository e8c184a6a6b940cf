import { compareStreamIds } from './stream-id.js';

/** A read waiting for a feed to deliver `id`. */
interface Waiter {
  id: string;
  resolve: (reached: boolean) => void;
}

/**
 * Replays waiting for a feed to reach a stream id, each with a timeout. A replay read on another
 * connection can see entries its feed has not delivered yet; it waits here until the feed has, so
 * the hub's de-duplication covers them (see `StreamFeed.reached`). Used by the log's feeds and the
 * run feed alike.
 */
export class IdWaiters {
  #waiters: Waiter[] = [];

  /** Resolves true once `settle` is called with an id at or past `id`, false after `timeoutMs`. */
  wait(id: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        id,
        resolve: (ok) => {
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

  /** Resolves (true) every waiter for an id up to `lastId`, in one pass. */
  settle(lastId: string): void {
    if (this.#waiters.length === 0) return;
    // One pass: a mass reconnect can leave thousands of replays waiting.
    const due: Waiter[] = [];
    const still: Waiter[] = [];
    for (const w of this.#waiters) (compareStreamIds(lastId, w.id) >= 0 ? due : still).push(w);
    if (due.length === 0) return;
    this.#waiters = still;
    for (const w of due) w.resolve(true);
  }

  /** Resolves every waiter false (the feed closed, or stopped following the stream). */
  cancel(): void {
    for (const w of this.#waiters.splice(0)) w.resolve(false);
  }
}
