interface Interval<M> {
  timer: NodeJS.Timeout;
  members: Set<M>;
}

/**
 * Interval timers shared by all members with the same key, never one per connection: a timer is
 * created with a key's first member and cleared with its last, so an idle process holds none.
 * `tick(members, key)` runs every `periodOf(key)` ms.
 */
export class SharedIntervals<M> {
  #intervals = new Map<number, Interval<M>>();
  #tick: (members: Set<M>, key: number) => void;
  #periodOf: (key: number) => number;

  constructor(tick: (members: Set<M>, key: number) => void, periodOf = (key: number) => key) {
    this.#tick = tick;
    this.#periodOf = periodOf;
  }

  /** How many timers run now (one per key in use). */
  get size(): number {
    return this.#intervals.size;
  }

  join(member: M, key: number): void {
    let interval = this.#intervals.get(key);
    if (interval === undefined) {
      const members = new Set<M>();
      const timer = setInterval(this.#tick, this.#periodOf(key), members, key);
      timer.unref();
      interval = { timer, members };
      this.#intervals.set(key, interval);
    }
    interval.members.add(member);
  }

  leave(member: M, key: number): void {
    const interval = this.#intervals.get(key);
    if (interval === undefined || !interval.members.delete(member)) return;
    if (interval.members.size === 0) {
      clearInterval(interval.timer);
      this.#intervals.delete(key);
    }
  }
}
