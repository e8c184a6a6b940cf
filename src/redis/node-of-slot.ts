import type { Redis } from 'ioredis';

/**
 * The connection that `client` sends commands about `slot` on: `client` itself for one server;
 * for an ioredis `Cluster`, its connection to the master that holds the slot now (undefined while
 * the client does not know one, e.g. mid-failover). Commands without keys (`CLIENT ID`,
 * `CLIENT UNBLOCK`) go to a random node on a Cluster; sending them here reaches the node where the
 * keyed commands of that slot run.
 */
export function nodeOfSlot(client: Redis, slot: number): Redis | undefined {
  const cluster = client as unknown as {
    isCluster?: boolean;
    slots?: string[][];
    nodes?: (role: 'master') => Redis[];
  };
  if (cluster.isCluster !== true) return client;
  const key = cluster.slots?.[slot]?.[0];
  if (key === undefined) return undefined;
  return cluster.nodes?.('master').find((n) => `${n.options.host}:${n.options.port}` === key);
}
