import { RedisBroker, type RedisBrokerOptions } from './redis-broker.js';

/**
 * A RedisBroker when `HERALD_REDIS_URL` or `HERALD_REDIS_CLUSTER` is set, else undefined (the
 * hub's embedded in-memory broker): the one switch between a single process and many.
 * `HERALD_REDIS_CLUSTER=host:port,host:port` names some nodes of a Redis Cluster (it wins over
 * the URL); `HERALD_REDIS_SHARDS` splits the log into that many streams (see `shards`);
 * `HERALD_REDIS_REPLICAS` makes publishes wait for that many replicas (see `replicas`).
 *
 * @example
 * HubModule.forRoot({ broker: redisBrokerFromEnv() });
 * // HERALD_REDIS_URL=redis://127.0.0.1:6379 npm start
 * // HERALD_REDIS_CLUSTER=10.0.0.1:7000,10.0.0.2:7000 HERALD_REDIS_SHARDS=16 npm start
 */
export function redisBrokerFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: Omit<RedisBrokerOptions, 'url' | 'client' | 'cluster'> = {},
): RedisBroker | undefined {
  const url = env.HERALD_REDIS_URL;
  const cluster = env.HERALD_REDIS_CLUSTER;
  if ((url === undefined || url === '') && (cluster === undefined || cluster === ''))
    return undefined;
  const shards = env.HERALD_REDIS_SHARDS;
  const replicas = env.HERALD_REDIS_REPLICAS;
  const where: RedisBrokerOptions =
    cluster !== undefined && cluster !== ''
      ? { cluster: { nodes: parseNodes(cluster) } }
      : { url: url! };
  return new RedisBroker({
    ...options,
    ...where,
    ...(shards !== undefined && shards !== '' ? { shards: Number(shards) } : {}),
    ...(replicas !== undefined && replicas !== '' ? { replicas: Number(replicas) } : {}),
    prefix: options.prefix ?? env.HERALD_REDIS_PREFIX ?? 'herald',
  });
}

/** `host:port,host:port` (IPv6 as `[::1]:7000`) as cluster nodes. */
function parseNodes(list: string): Array<{ host: string; port: number }> {
  return list.split(',').map((item) => {
    const text = item.trim();
    const colon = text.lastIndexOf(':');
    const host = text.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    const port = Number(text.slice(colon + 1));
    if (colon < 1 || !Number.isInteger(port) || port < 1 || port > 65535)
      throw new RangeError(`HERALD_REDIS_CLUSTER: "${text}" is not host:port`);
    return { host, port };
  });
}
