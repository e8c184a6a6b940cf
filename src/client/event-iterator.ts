import type { HeraldClientError } from './client-error.js';
import type { Consumer, ConsumerHost } from './consumer.js';

/**
 * An async iterator over a stream's events. Events that arrive while the loop body runs are queued
 * (without bound: a consumer slower than the server grows memory, as with `EventSource`). After the
 * stream closes, queued events are still yielded; then the loop ends, or throws the fatal error.
 * `return()` (a `break` out of `for await`) detaches it.
 */
export function createEventIterator<Event>(
  host: ConsumerHost<Event>,
): AsyncIterableIterator<Event> {
  const queue: Event[] = [];
  let waiting: { resolve(r: IteratorResult<Event>): void; reject(e: unknown): void } | undefined;
  let ended = false;
  let failure: HeraldClientError | undefined;

  const consumer: Consumer<Event> = {
    event(event) {
      if (waiting === undefined) queue.push(event);
      else {
        const w = waiting;
        waiting = undefined;
        w.resolve({ value: event, done: false });
      }
    },
    end(error) {
      ended = true;
      failure = error;
      if (waiting === undefined) return;
      const w = waiting;
      waiting = undefined;
      settleEnd(w);
    },
  };

  function settleEnd(w: NonNullable<typeof waiting>): void {
    if (failure === undefined) w.resolve({ value: undefined, done: true });
    else {
      const error = failure;
      failure = undefined;
      w.reject(error);
    }
  }

  host.attach(consumer);
  return {
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift() as Event, done: false });
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        if (ended) {
          waiting = undefined;
          settleEnd({ resolve, reject });
        }
      });
    },
    return() {
      queue.length = 0;
      if (waiting !== undefined) {
        waiting.resolve({ value: undefined, done: true });
        waiting = undefined;
      }
      if (!ended) {
        ended = true;
        host.detach(consumer);
      }
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
