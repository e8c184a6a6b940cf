import type { SseServer } from '../connection/index.js';
import type { Hub } from '../hub/hub.js';
import { registerBrokerMetrics } from './broker-metrics.js';
import { DeliveryLag } from './delivery-lag.js';
import { registerHubMetrics } from './hub-metrics.js';
import { loadPromClient } from './load-prom-client.js';
import type { RegistryLike } from './registry-like.js';
import { registerStreamMetrics } from './stream-metrics.js';
import type { RefusalSource } from './stream-refusals.js';

/** What {@link registerHeraldMetrics} reports on. */
export interface HeraldMetricsOptions {
  /** A prom-client `Registry`. Default: prom-client's default registry (`register`). */
  registry?: RegistryLike;
  /** The engine whose streams are counted (`herald_streams_*`). */
  sse?: Pick<SseServer, 'stats'>;
  /** The hub whose events are counted (`herald_hub_*`, and `herald_broker_*` for its broker). */
  hub?: Hub;
  /** Where refused streams are reported (`herald_streams_refused_total`); the app's limiter. */
  refusals?: RefusalSource;
}

/** Herald's metrics in a registry; `remove()` takes them out again. */
export interface HeraldMetrics {
  /** The registry the metrics are in. */
  readonly registry: RegistryLike;
  /** Unregisters every Herald metric and stops observing (safe to call twice). */
  remove(): void;
}

const NAMES = [
  'herald_streams_open',
  'herald_streams_opened_total',
  'herald_streams_closed_total',
  'herald_streams_refused_total',
  'herald_hub_published_total',
  'herald_hub_delivered_total',
  'herald_hub_replayed_total',
  'herald_hub_gaps_total',
  'herald_hub_subscribers',
  'herald_runs_active',
  'herald_hub_delivery_lag_seconds',
  'herald_broker_feed_lag_seconds',
  'herald_broker_errors_total',
];

/**
 * Registers Herald's Prometheus metrics for an engine and a hub (either may be absent). Counters
 * are read from what the engine and hub count anyway, when the registry is scraped; the only
 * work on the delivery path is the delivery-lag observer, once per event (see `DeliveryLag`).
 * `app.enableMetrics()` calls this for an app; call it yourself with `herald/sse` or `herald/hub`.
 *
 * @throws HeraldError `MISSING_PEER` when prom-client is not installed.
 * @example
 * import { Registry } from 'prom-client';
 * const registry = new Registry();
 * registerHeraldMetrics({ registry, sse, hub });
 * http.createServer(async (req, res) => res.end(await registry.metrics()));
 */
export function registerHeraldMetrics(options: HeraldMetricsOptions): HeraldMetrics {
  const prom = loadPromClient();
  const registry = options.registry ?? (prom.register as RegistryLike);
  const registers = [registry];
  const stops: Array<() => void> = [];
  if (options.sse !== undefined) {
    stops.push(registerStreamMetrics(prom, registers, options.sse, options.refusals));
  }
  const hub = options.hub;
  if (hub !== undefined) {
    registerHubMetrics(prom, registers, hub);
    registerBrokerMetrics(prom, registers, hub.broker);
    const lag = new DeliveryLag(prom, registers, hub.broker);
    hub.observe(lag);
    stops.push(() => {
      hub.observe(undefined);
      lag.stop();
    });
  }
  let removed = false;
  return {
    registry,
    remove() {
      if (removed) return;
      removed = true;
      for (const stop of stops) stop();
      for (const name of NAMES) registry.removeSingleMetric(name);
    },
  };
}
