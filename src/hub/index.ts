// `herald/hub`: topics, history, replay and fan-out, without the decorator framework.
export { HeraldError, type HeraldErrorCode, isHeraldError } from '../errors.js';
export type {
  BrokerEntry,
  BrokerStats,
  HubBroker,
  ReplayResult,
  StoredEvent,
} from './broker.js';
export { Hub, type HubOptions, type HubStats } from './hub.js';
export type { HubObserver } from './hub-observer.js';
export type { HubSubscription, SubscribeOptions } from './hub-subscription.js';
export { DEFAULT_HISTORY, type HistoryOptions, MemoryBroker } from './memory-broker.js';
export { GAP_EVENT, type GapNoticeData } from './replay.js';
export type { SubscriberFilter } from './subscriber.js';
export {
  RUN_END_EVENT,
  type RunStartOptions,
  type RunStatus,
  type RunSource,
  Runs,
  type RunsOptions,
  type RunSubscribeOptions,
} from './runs/index.js';
