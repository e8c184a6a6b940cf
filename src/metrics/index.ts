// `herald/metrics`: Prometheus metrics (optional peer prom-client) for an app, an engine or a hub.
export { HeraldError, type HeraldErrorCode, isHeraldError } from '../errors.js';
export { LAG_BUCKETS } from './delivery-lag.js';
export {
  type HeraldMetrics,
  type HeraldMetricsOptions,
  registerHeraldMetrics,
} from './herald-metrics.js';
export { metricsEndpoint } from './metrics-endpoint.js';
export type { RegistryLike } from './registry-like.js';
export {
  type RefusalSource,
  STREAM_REFUSAL_REASONS,
  type StreamRefusalReason,
} from './stream-refusals.js';
