import type { HeraldClientError } from './client-error.js';
import type { Consumer, ConsumerHost } from './consumer.js';

/** An Observable observer (TC39 / RxJS shape); every callback optional. */
export interface StreamObserver<Event> {
  next?: ((event: Event) => void) | undefined;
  error?: ((error: HeraldClientError) => void) | undefined;
  complete?: (() => void) | undefined;
}

/** What `subscribe` returns. */
export interface StreamSubscription {
  unsubscribe(): void;
  readonly closed: boolean;
}

/**
 * Subscribes an observer: `next` per event, `complete` when the stream closes cleanly, `error` with
 * the fatal error. `unsubscribe()` detaches it.
 */
export function subscribeObserver<Event>(
  host: ConsumerHost<Event>,
  observer: StreamObserver<Event>,
): StreamSubscription {
  let closed = false;
  const consumer: Consumer<Event> = {
    event(event) {
      observer.next?.(event);
    },
    end(error) {
      closed = true;
      if (error === undefined) observer.complete?.();
      else observer.error?.(error);
    },
  };
  host.attach(consumer);
  return {
    unsubscribe() {
      if (closed) return;
      closed = true;
      host.detach(consumer);
    },
    get closed() {
      return closed;
    },
  };
}
