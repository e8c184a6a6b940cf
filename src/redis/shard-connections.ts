import type { ClusterOptions, Redis } from 'ioredis';
import { HeraldError } from '../errors.js';
import { type ConnectionSource, createConnection } from './connections.js';
import type { ShardConnections } from './sharded-broker.js';

/** Where a Redis Cluster is: some of its nodes (the client discovers the rest), and client options. */
export interface RedisClusterOptions {
  /** Startup nodes; one that answers is enough. */
  nodes: ReadonlyArray<{ host: string; port: number }>;
  /** ioredis `Cluster` options (auth, TLS, `natMap`...), merged over Herald's. */
  options?: ClusterOptions;
}

/**
 * Opens a sharded broker's connections: `commands` (auto-pipelined: appends and replays of every
 * shard) and one feed per shard, each of which spends its life blocked in `XREAD` on that shard's
 * stream: a fixed number per process, whatever the number of clients and topics. On a cluster each
 * is its own `Cluster` client, since a blocking read on a shared one holds up every other command
 * to that node, and one `XREAD` cannot span shards (their keys are in different slots: CROSSSLOT).
 */
export async function openShardConnections(
  source: ConnectionSource,
  shards: number,
  cluster: RedisClusterOptions | undefined,
): Promise<ShardConnections> {
  const open =
    cluster === undefined
      ? (role: string, extra: object) =>
          createConnection(
            source,
            role,
            role === 'commands' ? { ...extra, commandTimeout: source.commandTimeoutMs } : extra,
          )
      : (role: string, extra: object) => createCluster(source, cluster, role, extra);
  const commands = await open('commands', { enableAutoPipelining: true });
  const feeds: Redis[] = [];
  for (let k = 0; k < shards; k++) feeds.push(await open('feed', {}));
  for (const conn of [commands, ...feeds]) {
    // Failures surface through the commands that hit them; the events only need a listener.
    conn.on('error', () => {});
    conn.connect().catch(() => {});
  }
  return { commands, feeds };
}

/** One lazily connecting ioredis `Cluster` named `<prefix>:<role>` on every node it connects to. */
export async function createCluster(
  source: ConnectionSource,
  cluster: RedisClusterOptions,
  role: string,
  extra: { enableAutoPipelining?: boolean },
): Promise<Redis> {
  const mod = await import('ioredis').catch((err: unknown) => {
    throw new HeraldError('MISSING_PEER', 'herald/redis needs ioredis: npm install ioredis', {
      cause: err,
    });
  });
  const given = cluster.options ?? {};
  const conn = new mod.Cluster(
    cluster.nodes.map((n) => ({ host: n.host, port: n.port })),
    {
      lazyConnect: true,
      // Fail fast, as for one server (connections.ts): nothing queues while the cluster is down.
      enableOfflineQueue: false,
      clusterRetryStrategy: (attempt: number) => Math.min(25 * 2 ** attempt, 1000),
      ...extra,
      ...given,
      redisOptions: {
        connectionName: `${source.prefix}:${role}`,
        // A command in flight when a node drops is rejected, never resent (see connections.ts).
        maxRetriesPerRequest: 0,
        autoResendUnfulfilledCommands: false,
        ...(role === 'commands' ? { commandTimeout: source.commandTimeoutMs } : {}),
        ...given.redisOptions,
      },
      // ioredis 6's option types reject this spread under exactOptionalPropertyTypes.
    } as never,
  );
  // A Cluster answers the commands Herald sends (XADD, XREAD, XRANGE, XINFO, MULTI within a slot)
  // and emits the events it waits for ('ready', 'close', 'end') as one connection does.
  return conn as unknown as Redis;
}
