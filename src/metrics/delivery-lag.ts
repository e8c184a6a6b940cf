import type { BrokerEntry, HubBroker } from '../hub/broker.js';
import type { HubObserver } from '../hub/hub-observer.js';
import type { PromClientModule } from './load-prom-client.js';
import type { RegistryLike } from './registry-like.js';

/** Buckets (s) of both lag histograms: in-process delivery is sub-millisecond when all is well. */
export const LAG_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * `herald_hub_delivery_lag_seconds` and, for a broker whose ids carry their append time (Redis),
 * `herald_broker_feed_lag_seconds`. Observed once per event, never per subscriber, and not
 * sampled.
 *
 * Delivery lag runs from `publish()` (this process's monotonic clock; for an entry published
 * elsewhere or decoded from Redis, the broker's append time) to the moment the frame was handed to
 * the sockets. The fan-out only queues frames; the engine writes them in one `setImmediate` per
 * event-loop turn, scheduled by the first frame queued. This observer schedules its own
 * `setImmediate` after the fan-out, so it runs after that write, and it takes one clock reading
 * per turn for all the events of the turn: per event it costs an array push.
 * Feed lag runs from the append time in the entry's id (Redis server clock, ms precision) to the
 * feed handing the entry to the hub; a clock ahead of this host's reads as 0.
 */
export class DeliveryLag implements HubObserver {
  readonly #delivery;
  readonly #feed;
  readonly #appendedAt: ((id: string) => number | undefined) | undefined;
  // Start times (performance clock, ms) of this turn's delivered events; observed after the flush.
  #starts: number[] = [];
  #timer: NodeJS.Immediate | undefined;

  constructor(prom: PromClientModule, registers: RegistryLike[], broker: HubBroker) {
    const r = registers as never[];
    this.#delivery = new prom.Histogram({
      name: 'herald_hub_delivery_lag_seconds',
      help: 'From publish() to the frame handed to the sockets, once per event with subscribers.',
      buckets: LAG_BUCKETS,
      registers: r,
    });
    this.#appendedAt = broker.appendedAt?.bind(broker);
    this.#feed =
      this.#appendedAt === undefined
        ? undefined
        : new prom.Histogram({
            name: 'herald_broker_feed_lag_seconds',
            help: "From the broker's append (the entry id's time) to its delivery to this process.",
            buckets: LAG_BUCKETS,
            registers: r,
          });
  }

  fannedOut(entry: BrokerEntry, delivered: number, publishedAt: number | undefined): void {
    const appended = this.#appendedAt?.(entry.id);
    if (appended !== undefined) {
      this.#feed?.observe(Math.max(0, Date.now() - appended) / 1000);
    }
    if (delivered === 0) return;
    const start = publishedAt ?? (appended === undefined ? undefined : appended - timeOrigin);
    if (start === undefined) return;
    this.#starts.push(start);
    this.#timer ??= setImmediate(this.#observe);
  }

  /** Stops observing (what is pending is dropped). */
  stop(): void {
    if (this.#timer !== undefined) clearImmediate(this.#timer);
    this.#timer = undefined;
    this.#starts = [];
  }

  readonly #observe = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    const starts = this.#starts;
    this.#starts = [];
    for (const start of starts) this.#delivery.observe(Math.max(0, now - start) / 1000);
  };
}

const timeOrigin = performance.timeOrigin;
