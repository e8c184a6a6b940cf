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
  for (let i = 0; i < dirty.length; i++) dirty[i]!.flush();
  dirty.length = 0;
  scheduled = false;
}

/** Queues `target.flush()` for the end of this event-loop turn. Call at most once per pending batch. */
export function scheduleFlush(target: Flushable): void {
  dirty.push(target);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flushAll);
  }
}
