import { Frame } from '../wire/frame.js';

/** A connection as the heartbeat sees it. */
export interface Beating {
  /** Set by the connection whenever it writes; the heartbeat clears it each tick. */
  wroteSinceBeat: boolean;
  sendFrame(frame: Frame): void;
}

// A bare comment: the smallest thing that keeps proxies and the client's read timeout from closing
// an idle stream. Encoded once for the process.
const BEAT = new Frame(Buffer.from(':\n\n'));

interface Ticker {
  timer: NodeJS.Timeout;
  members: Set<Beating>;
}

// One interval timer per distinct period for all connections, never one per connection. A timer
// exists only while it has members, so an idle process holds no heartbeat handle.
const tickers = new Map<number, Ticker>();

function tick(members: Set<Beating>): void {
  for (const member of members) {
    // A connection that wrote anything since the last tick is already proven alive.
    if (member.wroteSinceBeat) member.wroteSinceBeat = false;
    else {
      member.sendFrame(BEAT);
      // The beat itself does not count as activity, or every other period would be skipped.
      member.wroteSinceBeat = false;
    }
  }
}

/** Adds `member` to the heartbeat of period `ms`. */
export function joinHeartbeat(member: Beating, ms: number): void {
  let ticker = tickers.get(ms);
  if (ticker === undefined) {
    const members = new Set<Beating>();
    const timer = setInterval(tick, ms, members);
    timer.unref();
    ticker = { timer, members };
    tickers.set(ms, ticker);
  }
  ticker.members.add(member);
}

/** Removes `member` from the heartbeat of period `ms`; the timer stops with its last member. */
export function leaveHeartbeat(member: Beating, ms: number): void {
  const ticker = tickers.get(ms);
  if (ticker === undefined || !ticker.members.delete(member)) return;
  if (ticker.members.size === 0) {
    clearInterval(ticker.timer);
    tickers.delete(ms);
  }
}

/** How many heartbeat timers run now (one per distinct period in use). */
export function heartbeatTimerCount(): number {
  return tickers.size;
}
