/** Something with pending output to write once per event-loop turn. */
export interface Flushable {
  flush(): void;
}

// One list and one setImmediate for the whole process, not one per connection: a broadcast to N
// connections in one turn marks N connections and costs one scheduled callback, after which each
// connection writes everything it gathered in that turn with one socket write.
const dirty: Flushable[] = [];
let scheduled = false;

function flushAll(): void {
  // Index loop: a flush may mark more connections (they are appended and handled in this pass).
  // One connection's failure must not stop every other connection's writes for good, so each
  // flush is guarded and the list is always reset.
  try {
    for (let i = 0; i < dirty.length; i++) {
      try {
        dirty[i]!.flush();
      } catch (err) {
        process.emitWarning(
          err instanceof Error ? err : new Error(String(err)),
          'HeraldFlushWarning',
        );
      }
    }
  } finally {
    dirty.length = 0;
    scheduled = false;
  }
}

/** Queues `target.flush()` for the end of this event-loop turn. Call at most once per pending batch. */
export function scheduleFlush(target: Flushable): void {
  dirty.push(target);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flushAll);
  }
}
