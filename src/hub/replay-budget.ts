// Replays (resumes, catch-ups) share one budget of work per event-loop turn for the whole process:
// about MAX_TURN_MS of it, checked every CHUNK entries (reading the clock per entry would cost more
// than skipping one). A storm of resumes then cannot hold the event loop: live delivery, flushes,
// heartbeats and other requests run between turns, and waiting replays take turns in order (round
// robin). Time rather than a count, because an entry of another topic costs a comparison while one
// that is sent costs a write: a fixed count would be either too small for scans or too large for
// sends.
const MAX_TURN_MS = 8;
const CHUNK = 512;

let left = 0;
let turnStarted = -1;
let scheduled = false;
let waiting: Array<() => void> = [];

function newTurn(): void {
  scheduled = false;
  turnStarted = -1;
  left = 0;
  const runs = waiting;
  waiting = [];
  for (let i = 0; i < runs.length; i++) {
    if (turnStarted >= 0 && left <= 0 && performance.now() - turnStarted >= MAX_TURN_MS) {
      // The rest go first next turn, ahead of those that just used this one.
      waiting = runs.slice(i).concat(waiting);
      schedule();
      return;
    }
    try {
      runs[i]!();
    } catch (err) {
      process.emitWarning(
        err instanceof Error ? err : new Error(String(err)),
        'HeraldReplayWarning',
      );
    }
  }
}

function schedule(): void {
  if (!scheduled) {
    scheduled = true;
    setImmediate(newTurn);
  }
}

/** Takes one entry's worth of this turn's budget; false when it is spent (call `nextReplayTurn`). */
export function spendReplayBudget(): boolean {
  if (left > 0) {
    left--;
    return true;
  }
  const now = performance.now();
  if (turnStarted < 0) {
    turnStarted = now;
    // The budget is renewed once per turn in which anything was spent.
    schedule();
  } else if (now - turnStarted >= MAX_TURN_MS) {
    return false;
  }
  left = CHUNK - 1;
  return true;
}

/** Runs `fn` in a later turn, after the replays already waiting. */
export function nextReplayTurn(fn: () => void): void {
  waiting.push(fn);
  schedule();
}
