export { loadIoredis } from './load-ioredis.js';
export { RedisBroker, type RedisBrokerOptions } from './redis-broker.js';
export { redisBrokerFromEnv } from './redis-broker-from-env.js';
export type { FeedGap } from './stream-feed.js';
export { compareStreamIds, isStreamId } from './stream-id.js';
