import type { BrokerEntry } from './broker.js';

/**
 * Told of every entry a Hub receives from its broker, once, right after the entry was handed to
 * its subscribers (see `Hub.observe`). Metrics use it for delivery and feed lag; it runs on the
 * fan-out path, so it must be cheap and must not throw.
 */
export interface HubObserver {
  /**
   * `delivered` subscribers took the entry (0 when its topic has none). `publishedAt` is the
   * `performance.now()` of its `publish()` when this hub object published it and the broker
   * handed back the same object (the in-memory broker does; a Redis feed decodes a new one).
   */
  fannedOut(entry: BrokerEntry, delivered: number, publishedAt: number | undefined): void;
}
