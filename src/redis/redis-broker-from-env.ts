import { RedisBroker, type RedisBrokerOptions } from './redis-broker.js';

/**
 * A RedisBroker when `HERALD_REDIS_URL` is set, else undefined (the hub's embedded in-memory
 * broker): the one switch between a single process and many.
 *
 * @example
 * HubModule.forRoot({ broker: redisBrokerFromEnv() });
 * // HERALD_REDIS_URL=redis://127.0.0.1:6379 npm start
 */
export function redisBrokerFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: Omit<RedisBrokerOptions, 'url' | 'client'> = {},
): RedisBroker | undefined {
  const url = env.HERALD_REDIS_URL;
  if (url === undefined || url === '') return undefined;
  return new RedisBroker({
    ...options,
    url,
    prefix: options.prefix ?? env.HERALD_REDIS_PREFIX ?? 'herald',
  });
}
