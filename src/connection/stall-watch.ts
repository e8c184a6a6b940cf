/** A connection as the stall watch sees it. */
export interface Stalling {
  /** Called every tick; returns false to leave the watch (caught up, closed, or cut). */
  checkStall(now: number): boolean;
}

interface Watch {
  timer: NodeJS.Timeout;
  members: Set<Stalling>;
}

// One interval timer per distinct stall limit, for every connection over its cap, and none while no
// connection is: a client that reads holds no timer, and a burst costs no per-connection timers.
const watches = new Map<number, Watch>();

function tick(members: Set<Stalling>, limitMs: number): void {
  const now = Date.now();
  for (const member of members) if (!member.checkStall(now)) leaveStallWatch(member, limitMs);
}

/**
 * Adds `member` to the watch for stall limit `limitMs`. Ticks come every quarter of the limit, so a
 * member is judged between `limitMs` and 1.25 x `limitMs` after it stopped making progress.
 */
export function joinStallWatch(member: Stalling, limitMs: number): void {
  let watch = watches.get(limitMs);
  if (watch === undefined) {
    const members = new Set<Stalling>();
    const timer = setInterval(tick, Math.max(10, Math.floor(limitMs / 4)), members, limitMs);
    timer.unref();
    watch = { timer, members };
    watches.set(limitMs, watch);
  }
  watch.members.add(member);
}

/** Removes `member`; the timer stops with its last member. */
export function leaveStallWatch(member: Stalling, limitMs: number): void {
  const watch = watches.get(limitMs);
  if (watch === undefined || !watch.members.delete(member)) return;
  if (watch.members.size === 0) {
    clearInterval(watch.timer);
    watches.delete(limitMs);
  }
}
