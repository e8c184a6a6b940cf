export type { BrokerEntry, HubBroker, ReplayResult, StoredEvent } from './broker.js';
export { Hub, type HubOptions, type HubStats } from './hub.js';
export { HubSubscription, type SubscribeOptions } from './hub-subscription.js';
export { GAP_EVENT } from './replay.js';
export { DEFAULT_HISTORY, type HistoryOptions, MemoryBroker } from './memory-broker.js';
export type { SubscriberFilter } from './subscriber.js';
