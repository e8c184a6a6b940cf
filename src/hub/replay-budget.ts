// Replays (resumes, catch-ups) share one budget of entries per event-loop turn for the whole
// process. A storm of resumes then cannot hold the event loop: live delivery, flushes, heartbeats
// and other requests run between turns, and waiting replays take turns in order (round robin).
const PER_TURN = 4096;

let left = PER_TURN;
let scheduled = false;
let waiting: Array<() => void> = [];

function newTurn(): void {
  scheduled = false;
  left = PER_TURN;
  const runs = waiting;
  waiting = [];
  for (let i = 0; i < runs.length; i++) {
    if (left <= 0) {
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

/** Takes one entry from this turn's budget; false when it is spent (call `nextTurn`). */
export function spendReplayBudget(): boolean {
  if (left <= 0) return false;
  left--;
  // The budget is renewed once per turn in which anything was spent.
  schedule();
  return true;
}

/** Runs `fn` in a later turn, after the replays already waiting. */
export function nextReplayTurn(fn: () => void): void {
  waiting.push(fn);
  schedule();
}
