import type { Redis } from 'ioredis';

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
  /** The socket the append was acknowledged on. */
  socket: unknown;
}

interface Batch {
  waiting: Waiter[];
  sent: boolean;
}

/**
 * Publishes that resolve only once `replicas` replicas have them (`RedisBrokerOptions.replicas`):
 * Redis's `WAIT`, grouped. `WAIT` covers every write sent before it on the same connection, so one
 * `WAIT` in flight per connection settles every append acknowledged before it was sent; appends
 * acknowledged meanwhile wait for the next. Publishing stays pipelined: many appends, one `WAIT`
 * per round trip to the replicas, not one each. A `WAIT` sent on another socket than the one an
 * append was acknowledged on (ioredis reconnected, perhaps to another server) confirms nothing
 * for it: that append is refused.
 */
export class ReplicaWait {
  #replicas: number;
  #timeoutMs: number;
  #batches = new WeakMap<Redis, Batch>();

  constructor(replicas: number, timeoutMs: number) {
    this.#replicas = replicas;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Resolves once the appends `node` (the connection that took them) has acknowledged so far are
   * on enough replicas; rejects when fewer acknowledged them within the timeout.
   */
  confirm(node: Redis): Promise<void> {
    let batch = this.#batches.get(node);
    if (batch === undefined) {
      batch = { waiting: [], sent: false };
      this.#batches.set(node, batch);
    }
    const b = batch;
    const socket = (node as unknown as { stream?: unknown }).stream;
    return new Promise<void>((resolve, reject) => {
      b.waiting.push({ resolve, reject, socket });
      if (!b.sent) this.#send(node, b);
    });
  }

  #send(node: Redis, batch: Batch): void {
    const waiting = batch.waiting;
    batch.waiting = [];
    batch.sent = true;
    const socket = (node as unknown as { stream?: unknown }).stream;
    const settle = (err: Error | undefined): void => {
      for (const w of waiting) {
        if (w.socket !== socket) w.reject(new Error('the connection was replaced before WAIT'));
        else if (err === undefined) w.resolve();
        else w.reject(err);
      }
      batch.sent = false;
      if (batch.waiting.length > 0) this.#send(node, batch);
    };
    node.call('WAIT', this.#replicas, this.#timeoutMs).then(
      (acked) => {
        const n = Number(acked);
        settle(
          n >= this.#replicas
            ? undefined
            : new Error(
                `${n} of ${this.#replicas} replica(s) acknowledged it within ${this.#timeoutMs} ms`,
              ),
        );
      },
      (err: unknown) => settle(err instanceof Error ? err : new Error(String(err))),
    );
  }
}
