// `herald/nest`: Herald's engine and hub inside an existing NestJS application (Express or
// Fastify). `@nestjs/common` and `@nestjs/core` are optional peers, loaded by ./nest-peers.js,
// which throws `MISSING_PEER` when they are absent.
import 'reflect-metadata';

export { HeraldError, type HeraldErrorCode, isHeraldError } from '../errors.js';
export { GAP_EVENT, type GapNoticeData } from '../hub/replay.js';
export { Hub, type HubOptions, type HubStats } from '../hub/hub.js';
export type { HubSubscription, SubscribeOptions } from '../hub/hub-subscription.js';
export type { RunSource } from '../hub/runs/run-producer.js';
export { RUN_END_EVENT, type RunStatus } from '../hub/runs/run-store.js';
export {
  type RunStartOptions,
  Runs,
  type RunsOptions,
  type RunSubscribeOptions,
} from '../hub/runs/runs.js';
export { SSEEvent, SSEMessage, type SSEMessageInit } from '../stream/sse-message.js';
export type { MessageEvent } from '../wire/message-event.js';
export type { HeraldMetricsModuleOptions } from './herald-metrics.js';
export { HeraldModule } from './herald-module.js';
export {
  HERALD_MODULE_OPTIONS,
  type HeraldModuleAsyncOptions,
  type HeraldModuleOptions,
  type HeraldShutdownOptions,
  type HeraldSseDefaults,
} from './herald-options.js';
export { HeraldStreams } from './herald-streams.js';
export { LastEventId } from './last-event-id.js';
export { type HeraldSseOptions, Sse } from './sse-decorator.js';
