export { parseRetryAfter, reconnectDelay, resolveBackoff } from './backoff.js';
export type { BackoffSettings, DelayInput } from './backoff.js';
export { HeraldClientError } from './client-error.js';
export type { HeraldClientErrorCode, HeraldClientErrorInit } from './client-error.js';
export { connect } from './connect.js';
export { EventStream } from './event-stream.js';
export type { OpenInfo } from './event-stream.js';
export { ReadyState } from './ready-state.js';
export { isEventStreamType, isRetryableStatus } from './response-check.js';
export type { StreamObserver, StreamSubscription } from './subscription.js';
export type {
  ConnectOptions,
  EventMap,
  EventOf,
  ReplayableBody,
  RetryOptions,
  ServerEvent,
} from './types.js';
