import { SharedIntervals } from './shared-interval.js';

/** A connection as the stall watch sees it. */
export interface Stalling {
  /** Called every tick; returns false to leave the watch (caught up, closed, or cut). */
  checkStall(now: number): boolean;
}

// One timer per distinct stall limit, for every connection over its cap, and none while no
// connection is: a client that reads holds no timer, and a burst costs no per-connection timers.
// Ticks come every quarter of the limit, so a member is judged between 1 and 1.25 x the limit
// after it stopped making progress.
const watches = new SharedIntervals<Stalling>(
  (members, limitMs) => {
    const now = Date.now();
    for (const member of members) if (!member.checkStall(now)) watches.leave(member, limitMs);
  },
  (limitMs) => Math.max(10, Math.floor(limitMs / 4)),
);

/** Adds `member` to the watch for stall limit `limitMs`. */
export function joinStallWatch(member: Stalling, limitMs: number): void {
  watches.join(member, limitMs);
}

/** Removes `member`; the timer stops with its last member. */
export function leaveStallWatch(member: Stalling, limitMs: number): void {
  watches.leave(member, limitMs);
}
