import type { HeraldClientError } from './client-error.js';

/** Something that takes every event of a stream and its end: an async iterator or a subscription. */
export interface Consumer<Event> {
  event(event: Event): void;
  /** The stream closed: cleanly, or with the fatal error. */
  end(error: HeraldClientError | undefined): void;
}

/** Where iterators and subscriptions attach; `detach` may close the stream (last one out). */
export interface ConsumerHost<Event> {
  attach(consumer: Consumer<Event>): void;
  detach(consumer: Consumer<Event>): void;
}
