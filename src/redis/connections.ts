import type { Redis, RedisOptions } from 'ioredis';
import { loadIoredis } from './load-ioredis.js';

/** How Herald's two connections differ from ioredis's defaults, and why. */
const HERALD_OPTIONS = {
  lazyConnect: true,
  // Fail fast: a command issued while Redis is unreachable rejects at once instead of waiting in
  // ioredis's offline queue, which is unbounded by default.
  enableOfflineQueue: false,
  // A command in flight when the link drops is rejected, never sent again: a resent XADD could
  // append the same event twice, and a resent XREAD would skip the feed's check after reconnecting.
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  // Reconnect forever, backing off to one attempt per second.
  retryStrategy: (attempt: number) => Math.min(25 * 2 ** attempt, 1000),
} satisfies RedisOptions;

/** Where the broker's connections come from. */
export interface ConnectionSource {
  url?: string | undefined;
  client?: Redis | undefined;
  commandTimeoutMs: number;
  /** Names the connections `<prefix>:commands` and `<prefix>:feed` in `CLIENT LIST`. */
  prefix: string;
}

/**
 * Opens (lazily) the broker's two connections: `commands` for XADD/XRANGE/XINFO, auto-pipelined so
 * concurrent publishes share round trips, and `feed`, which spends its life blocked in XREAD.
 * A given `client` is a template (address, auth, TLS): both are `client.duplicate()`s, so the
 * caller's own connection keeps its options and is never closed by Herald.
 */
export async function createConnections(
  source: ConnectionSource,
): Promise<{ commands: Redis; feed: Redis }> {
  const commands = await createConnection(source, 'commands', {
    enableAutoPipelining: true,
    commandTimeout: source.commandTimeoutMs,
  });
  const feed = await createConnection(source, 'feed', {});
  return { commands, feed };
}

/** One lazily connecting Herald connection named `<prefix>:<role>` (see `createConnections`). */
export async function createConnection(
  source: ConnectionSource,
  role: string,
  extra: RedisOptions,
): Promise<Redis> {
  const options: RedisOptions = {
    ...HERALD_OPTIONS,
    connectionName: `${source.prefix}:${role}`,
    ...extra,
  };
  if (source.client !== undefined) return source.client.duplicate(options);
  const Redis = await loadIoredis();
  // ioredis 6's overloads reject a variable typed RedisOptions under exactOptionalPropertyTypes.
  return new Redis(source.url ?? 'redis://127.0.0.1:6379', options as never);
}
