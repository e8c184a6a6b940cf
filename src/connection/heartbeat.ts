import { Frame } from '../wire/frame.js';
import { SharedIntervals } from './shared-interval.js';

/** A connection as the heartbeat sees it. */
export interface Beating {
  /** Set by the connection whenever it writes; the heartbeat clears it each tick. */
  wroteSinceBeat: boolean;
  sendFrame(frame: Frame): void;
}

// A bare comment: the smallest thing that keeps proxies and the client's read timeout from closing
// an idle stream. Encoded once for the process.
const BEAT = new Frame(Buffer.from(':\n\n'));

// One interval timer per distinct period for all connections, never one per connection. A timer
// exists only while it has members, so an idle process holds no heartbeat handle.
const tickers = new SharedIntervals<Beating>((members) => {
  for (const member of members) {
    // A connection that wrote anything since the last tick is already proven alive.
    if (member.wroteSinceBeat) member.wroteSinceBeat = false;
    else {
      member.sendFrame(BEAT);
      // The beat itself does not count as activity, or every other period would be skipped.
      member.wroteSinceBeat = false;
    }
  }
});

/** Adds `member` to the heartbeat of period `ms`. */
export function joinHeartbeat(member: Beating, ms: number): void {
  tickers.join(member, ms);
}

/** Removes `member` from the heartbeat of period `ms`; the timer stops with its last member. */
export function leaveHeartbeat(member: Beating, ms: number): void {
  tickers.leave(member, ms);
}

/** How many heartbeat timers run now (one per distinct period in use). */
export function heartbeatTimerCount(): number {
  return tickers.size;
}
