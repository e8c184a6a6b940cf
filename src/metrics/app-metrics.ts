import type { SseServer } from '../connection/index.js';
import type { Hub } from '../hub/hub.js';
import { type HeraldMetrics, registerHeraldMetrics } from './herald-metrics.js';
import { metricsEndpoint } from './metrics-endpoint.js';
import type { RegistryLike } from './registry-like.js';
import type { RefusalSource } from './stream-refusals.js';

/** Options of `app.enableMetrics()`. */
export interface MetricsOptions {
  /** Where the metrics are served (GET and HEAD). Default `/metrics`. */
  path?: string;
  /** A prom-client `Registry`. Default: prom-client's default registry (`register`). */
  registry?: RegistryLike;
  /** The hub to report on. Default: the app's `Hub` provider, when it has one. */
  hub?: Hub;
}

/** @internal What an app holds once metrics are enabled. */
export interface AppMetrics extends HeraldMetrics {
  /** Answers the metrics path; anything else goes on (`next()`). */
  readonly endpoint: ReturnType<typeof metricsEndpoint>;
}

/** @internal Registers an app's metrics (see `HeraldApplication.enableMetrics`). */
export function enableAppMetrics(
  options: MetricsOptions,
  parts: { sse: SseServer; refusals: RefusalSource; hub: Hub | undefined },
): AppMetrics {
  const hub = options.hub ?? parts.hub;
  const metrics = registerHeraldMetrics({
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(hub === undefined ? {} : { hub }),
    sse: parts.sse,
    refusals: parts.refusals,
  });
  return {
    registry: metrics.registry,
    remove: () => metrics.remove(),
    endpoint: metricsEndpoint(options.path ?? '/metrics', metrics.registry),
  };
}
