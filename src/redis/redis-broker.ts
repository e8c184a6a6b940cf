import type { Redis } from 'ioredis';
import { HeraldError, isHeraldError } from '../errors.js';
import type {
  BrokerEntry,
  BrokerStats,
  HubBroker,
  ReplayResult,
  StoredEvent,
} from '../hub/broker.js';
import type { RunStore } from '../hub/runs/run-store.js';
import { createConnection, createConnections } from './connections.js';
import { readAfter, readAll } from './replay.js';
import { RedisRunStore } from './runs/redis-run-store.js';
import { runScripts } from './runs/run-scripts.js';
import { ReplayWindow } from './replay-window.js';
import { ReplicaWait } from './replica-wait.js';
import {
  createCluster,
  openShardConnections,
  type RedisClusterOptions,
} from './shard-connections.js';
import { ShardedBroker } from './sharded-broker.js';
import { entryFields } from './stream-entry.js';
import { type FeedGap, StreamFeed } from './stream-feed.js';
import { compareStreamIds } from './stream-id.js';
import { whenReady } from './when-ready.js';

/** Options of a RedisBroker. */
export interface RedisBrokerOptions {
  /** Where Redis is. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** An ioredis client to copy the connection settings from (Herald opens its own two duplicates). */
  client?: Redis;
  /** Key prefix: hubs sharing a prefix share one log. Default `herald` (the stream is `herald:log`). */
  prefix?: string;
  /**
   * Streams the log is split into, by topic (`<prefix>:log:{<tag>}` each). Default 1: one stream,
   * `<prefix>:log`, ids `<ms>-<seq>`. Above 1, ids are `<shard>.<ms>-<seq>` and a client of topics
   * on several shards resumes from a vector of positions (see ARCHITECTURE.md, "Past one stream").
   * Every process sharing a prefix must use the same count.
   */
  shards?: number;
  /** A Redis Cluster instead of `url`/`client`: the log is sharded (`shards`, default 3). */
  cluster?: RedisClusterOptions;
  /**
   * Entries the stream keeps, approximately (`XADD MAXLEN ~`); the replay window. Default 10,000.
   * Sharded, each shard's stream keeps this many.
   */
  maxLen?: number;
  /** How long `start` and the first publish wait for Redis, ms. Default 10,000. */
  connectTimeoutMs?: number;
  /**
   * How long a publish or a replay read waits for Redis's answer, ms. Default 5,000. Also how late
   * past its 5 s block a live-feed read may answer before the feed takes the link for dead (packets
   * silently dropped: no RST, so TCP alone would wait minutes) and reconnects: a feed cut off
   * notices within 5 s + this.
   */
  commandTimeoutMs?: number;
  /** Entries per read, for the live feed and for replay pages. Default 1,000. */
  batch?: number;
  /**
   * Most recent entries this process's feed delivered that it keeps to answer resumes from memory
   * (see ARCHITECTURE.md, replay storms). Default: `maxLen`, at most 10,000. 0 keeps none.
   */
  windowEntries?: number;
  /** The same window's bound in bytes (estimated: decoded entry plus its frame). Default 32 MiB. */
  windowBytes?: number;
  /**
   * Replicas a publish must reach before it resolves (Redis `WAIT`, one per round trip for every
   * publish acknowledged meanwhile). Default 0: a publish resolves once the master has it, and an
   * entry a failover then loses is announced to clients as a `herald:gap` by the publishing
   * process (see ARCHITECTURE.md), unless that process dies in the same failover. With 1 (one
   * replica per master), an acknowledged publish survives a failover to that replica. A publish
   * not on enough replicas within `replicaTimeoutMs` rejects with `BROKER_UNAVAILABLE` (it is on the
   * master: it may or may not survive a failover).
   */
  replicas?: number;
  /**
   * How long a publish waits for `replicas`, ms. Default 1,000; at most half of
   * `commandTimeoutMs` (a `WAIT` holds up the commands behind it on its connection: replay reads,
   * lease renewals).
   */
  replicaTimeoutMs?: number;
  /** Called when the live feed could not avoid a hole (see `FeedGap`). */
  onFeedGap?: (gap: FeedGap) => void;
  /**
   * How long a run (`Runs`) outlives the process producing it, ms: its lease, renewed every third
   * of it. When that process dies, followers elsewhere get `herald:end` `failed` within about
   * 1.25 x this. Default 10,000.
   */
  runLeaseMs?: number;
}

const DEFAULTS = {
  prefix: 'herald',
  maxLen: 10_000,
  connectTimeoutMs: 10_000,
  commandTimeoutMs: 5_000,
  batch: 1_000,
  replicas: 0,
  replicaTimeoutMs: 1_000,
  windowBytes: 32 * 1024 * 1024,
  runLeaseMs: 10_000,
};

/** Full replay pages read from Redis that are kept for the next resume over the same range. */
const RECENT_PAGES = 64;

/**
 * A HubBroker on one Redis stream, so that many processes share one event log: a publish on any
 * process reaches the subscribers of every process, and a `Last-Event-ID` from any process resumes
 * on any other (ids are Redis stream ids, ordered across topics and processes).
 *
 * Publishing while Redis is unreachable fails at once with `BROKER_UNAVAILABLE` (nothing queues).
 *
 * @example
 * import { RedisBroker } from 'herald/redis';
 * HubModule.forRoot({ broker: new RedisBroker({ url: process.env.HERALD_REDIS_URL }) });
 */
export class RedisBroker implements HubBroker {
  /** The Redis key of the stream. */
  readonly key: string;
  #options: RedisBrokerOptions & typeof DEFAULTS;
  #connections: Promise<{ commands: Redis; feed: Redis; feeds?: Redis[] }> | undefined;
  #feed: StreamFeed | undefined;
  #commandsReady: Promise<Redis> | undefined;
  #closed = false;
  #window: ReplayWindow;
  /** The highest id this process's own appends were given (see `readAfter`). */
  #appended: string | undefined;
  /** Replay reads from Redis in flight, by `<limit> <id>`: resumes over the same page share one. */
  #reads = new Map<string, Promise<ReplayResult>>();
  /** Full pages recently read from Redis, by the same key, oldest first (a small LRU). */
  #pages = new Map<string, ReplayResult>();
  #runs: RedisRunStore | undefined;
  /** Failed appends and replay reads (the feed counts its own). */
  #errors = { append: 0, replay: 0 };
  /** Publishes wait for replicas (`replicas > 0`). */
  #replicaWait: ReplicaWait | undefined;
  /** The log when sharded (`shards > 1` or a cluster): every log operation is its. */
  #sharded: ShardedBroker | undefined;
  /**
   * Sharded only (see `HubBroker.scope`): a subscriber's resume token. Absent on one stream, where
   * an entry's id is every subscriber's position.
   */
  readonly scope?: (topics: readonly string[], id: string | undefined) => string | undefined;
  /** Sharded only (see `HubBroker.advance`): a subscriber's token after `entry`. */
  readonly advance?: (token: string | undefined, entry: BrokerEntry) => string;

  constructor(options: RedisBrokerOptions = {}) {
    this.#options = { ...DEFAULTS, ...stripUndefined(options) };
    const { maxLen, batch } = this.#options;
    if (!Number.isSafeInteger(maxLen) || maxLen < 1)
      throw new RangeError(`maxLen must be a positive integer, got ${maxLen}`);
    if (!Number.isSafeInteger(batch) || batch < 1)
      throw new RangeError(`batch must be a positive integer, got ${batch}`);
    const { replicas, replicaTimeoutMs, commandTimeoutMs } = this.#options;
    if (!Number.isSafeInteger(replicas) || replicas < 0)
      throw new RangeError(`replicas must be a non-negative integer, got ${replicas}`);
    if (replicas > 0) {
      // A WAIT holds up the commands behind it on its connection, whose timeouts are running.
      if (!Number.isSafeInteger(replicaTimeoutMs) || replicaTimeoutMs < 1)
        throw new RangeError(
          `replicaTimeoutMs must be a positive integer, got ${replicaTimeoutMs}`,
        );
      if (replicaTimeoutMs > commandTimeoutMs / 2)
        throw new RangeError(
          `replicaTimeoutMs (${replicaTimeoutMs}) must be at most half of commandTimeoutMs (${commandTimeoutMs})`,
        );
      this.#replicaWait = new ReplicaWait(replicas, replicaTimeoutMs);
    }
    this.key = `${this.#options.prefix}:log`;
    const shards = options.shards ?? (options.cluster === undefined ? 1 : 3);
    if (!Number.isSafeInteger(shards) || shards < 1 || shards > 1024)
      throw new RangeError(`shards must be an integer from 1 to 1024, got ${shards}`);
    if (shards > 1 || options.cluster !== undefined) {
      const sharded = this.#shardedLog(shards);
      this.#sharded = sharded;
      this.scope = (topics, id) => sharded.scope(topics, id);
      this.advance = (token, entry) => sharded.advance(token, entry);
    }
    this.#window = new ReplayWindow({
      entries: options.windowEntries ?? Math.min(maxLen, 10_000),
      bytes: this.#options.windowBytes,
    });
  }

  /** Connects and starts the process's one read loop at the stream's head. */
  async start(deliver: (entry: BrokerEntry) => void, lost?: (gap: FeedGap) => void): Promise<void> {
    if (this.#sharded !== undefined) return this.#sharded.start(deliver, lost);
    const { feed } = await this.#open();
    if (!(await whenReady(feed, this.#options.connectTimeoutMs)))
      throw this.#unavailable('is unreachable');
    this.#feed = new StreamFeed(feed, this.key, {
      batch: this.#options.batch,
      blockMs: 5_000,
      stallMs: this.#options.commandTimeoutMs,
      commands: () => this.#commands(),
      // The user's hook, and the hub's when entries were certainly skipped (trimmed while this
      // process was cut off): the hub ends its streams, so each client resumes by id and is told
      // of the gap. After an empty restart a loss is only possible (the unread tail of the old
      // stream), so live subscribers stay connected, as ARCHITECTURE.md documents.
      // Redis that came back with older data (`rewound`) lost entries it had handed out: told the
      // same way, and since the feed made Redis hand out ids above every id delivered, a gap
      // notice's id (the head) is above the client's Last-Event-ID.
      // A loss marker (`lost`) is in the log: the window and pages stay true across it, and a
      // resume that passes it is told there.
      onGap: (gap) => {
        if (gap.reason !== 'lost') {
          // What follows the hole does not join what came before: memory answers no resume
          // across it.
          this.#window.clear();
          this.#pages = new Map();
          this.#reads = new Map();
        }
        this.#options.onFeedGap?.(gap);
        if (gap.reason !== 'restarted') lost?.(gap);
      },
    });
    const window = this.#window;
    const feedDeliver = (entry: BrokerEntry, bytes: number): void => {
      window.push(entry, bytes);
      deliver(entry);
    };
    await this.#feed.start(feedDeliver).catch((err: unknown) => {
      throw this.#unavailable('failed', err);
    });
  }

  /** XADD with `MAXLEN ~`; resolves with the stream id Redis assigned. */
  async append(topic: string, event: StoredEvent): Promise<string> {
    if (this.#closed) throw new HeraldError('CLOSED', 'the Redis broker is closed');
    let fields: string[];
    try {
      fields = entryFields(topic, event);
    } catch (err) {
      throw new HeraldError(
        'INVALID_EVENT',
        `the event cannot be stored as JSON: ${(err as Error).message}`,
        { cause: err },
      );
    }
    // Every append awaits the same promise, so appends reach Redis in the order they were made.
    const commands = await this.#commands();
    if (this.#sharded !== undefined)
      return this.#sharded.append(topic, event).catch((err: unknown) => {
        if (isHeraldError(err)) throw err;
        this.#errors.append++;
        throw this.#unavailable(
          'did not take the publish (it may or may not have been appended)',
          err,
        );
      });
    const feed = this.#feed;
    const sentAt = feed?.generation ?? 0;
    try {
      const id = (await commands.xadd(
        this.key,
        'MAXLEN',
        '~',
        this.#options.maxLen,
        '*',
        ...fields,
      )) as string;
      if (this.#appended === undefined || compareStreamIds(id, this.#appended) > 0)
        this.#appended = id;
      feed?.acknowledged(id, sentAt);
      if (this.#replicaWait !== undefined)
        await this.#confirmed(this.#replicaWait.confirm(commands));
      return id;
    } catch (err) {
      if (isHeraldError(err)) throw err;
      this.#errors.append++;
      throw this.#unavailable(
        'did not take the publish (it may or may not have been appended)',
        err,
      );
    }
  }

  /**
   * Every retained entry after `id`, or a gap (see `readAfter` in replay.ts for the exact rule).
   * Resolves only once this process's feed has delivered up to the replay's end (or `id`, or the
   * gap's head), so that a replay never runs ahead of the live feed.
   *
   * A storm of resumes (clients moved from a process that shut down) must not cost a read and a
   * decode per client: when `id` is in the window of entries the feed delivered recently, the
   * answer comes from memory, made of the same objects the feed delivered (and their cached
   * frames); a read that must go to Redis is shared by every resume asking for the same page at
   * the same time, and a full page is kept for the next ones (a full page never changes: ids only
   * grow at the head).
   */
  async readAfter(id: string, limit?: number): Promise<ReplayResult> {
    if (this.#closed) throw new HeraldError('CLOSED', 'the Redis broker is closed');
    if (this.#sharded !== undefined) return this.#sharded.readAfter(id, limit);
    let recent = this.#window.after(id, limit);
    // An answer from memory ends where the feed is: what comes after reaches the hub through
    // `deliver` (its subscribers hold it while they read). Only this process's own appends could
    // be acknowledged yet not delivered: wait for them, so a publish is always in a later replay.
    const short = recent !== undefined && (limit === undefined || recent.length < limit);
    const appended = this.#appended;
    if (short && appended !== undefined && compareStreamIds(this.#feed!.lastId, appended) < 0) {
      await this.#feedReached(appended);
      recent = this.#window.after(id, limit);
    }
    if (recent !== undefined) return { kind: 'ok', entries: recent };
    const key = `${limit ?? '*'} ${id}`;
    const kept = this.#pages.get(key);
    if (kept !== undefined) {
      this.#pages.delete(key);
      this.#pages.set(key, kept);
      return kept;
    }
    let read = this.#reads.get(key);
    if (read === undefined) {
      const reads = this.#reads;
      read = this.#readFromRedis(id, limit);
      reads.set(key, read);
      const settled = (): void => {
        if (reads.get(key) === read) reads.delete(key);
      };
      read.then((result) => {
        settled();
        // Not after a feed gap (the maps were replaced meanwhile): the page may be from before it.
        if (reads !== this.#reads || limit === undefined) return;
        if (result.kind === 'ok' && result.entries.length === limit) {
          this.#pages.set(key, result);
          if (this.#pages.size > RECENT_PAGES) this.#pages.delete(this.#pages.keys().next().value!);
        }
      }, settled);
    }
    return read;
  }

  async #readFromRedis(id: string, limit: number | undefined): Promise<ReplayResult> {
    const { commands } = await this.#open();
    // The first XRANGE brings the id itself plus one page: no more than the hub asked for.
    const page =
      limit === undefined ? this.#options.batch : Math.min(this.#options.batch, limit + 1);
    const result = await readAfter(commands, this.key, id, page, limit).catch((err: unknown) => {
      this.#errors.replay++;
      throw this.#unavailable('could not replay', err);
    });
    const end = result.kind === 'ok' ? (result.entries.at(-1)?.id ?? id) : result.headId;
    if (end !== null) await this.#feedReached(end);
    if (result.kind === 'ok') this.#window.share(result.entries as BrokerEntry[]);
    return result;
  }

  async readAll(): Promise<readonly BrokerEntry[]> {
    if (this.#sharded !== undefined) return this.#sharded.readAll();
    const { commands } = await this.#open();
    const entries = await readAll(commands, this.key, this.#options.batch).catch((err: unknown) => {
      this.#errors.replay++;
      throw this.#unavailable('could not replay', err);
    });
    const end = entries.at(-1)?.id;
    if (end !== undefined) await this.#feedReached(end);
    return entries;
  }

  /** The last id this process's feed delivered (the stream's newest when it started). */
  head(): string | undefined {
    return this.#sharded !== undefined ? this.#sharded.head() : this.#feed?.lastId;
  }

  compare(a: string, b: string): number {
    return this.#sharded !== undefined ? this.#sharded.compare(a, b) : compareStreamIds(a, b);
  }

  /**
   * @internal Runs on this Redis, under the same prefix (`<prefix>:run:{<id>}...`, or
   * `<prefix>:run:{<shard tag>}:<id>...` sharded): one store per broker, with one more connection
   * for the run feed, opened when a run is first followed; on a cluster one per shard that has runs
   * followed here (still fixed: never per run).
   */
  runStore(): RunStore {
    const options = this.#options;
    this.#runs ??= new RedisRunStore({
      prefix: options.prefix,
      leaseMs: options.runLeaseMs,
      batch: options.batch,
      commandTimeoutMs: options.commandTimeoutMs,
      shards: this.#sharded?.keys.length,
      cluster: options.cluster !== undefined,
      commands: () => this.#commands(),
      connect: async () => {
        const conn =
          options.cluster === undefined
            ? await createConnection(options, 'runs', {})
            : await createCluster(options, options.cluster, 'runs', {});
        conn.on('error', () => {});
        conn.connect().catch(() => {});
        return conn;
      },
      unavailable: (what, cause) => this.#unavailable(what, cause),
    });
    return this.#runs;
  }

  /** A stream id's first part: the Redis server's clock (ms) when it appended the entry. */
  appendedAt(id: string): number | undefined {
    // A sharded id is `<shard>.<ms>-<seq>`: the clock is after the dot.
    const ms = Number.parseInt(id.slice(id.indexOf('.') + 1), 10);
    return Number.isFinite(ms) ? ms : undefined;
  }

  /** Failed appends, replay reads and live-feed reads since this broker was made. */
  stats(): BrokerStats {
    const feed = this.#sharded?.feedErrors() ?? this.#feed?.errors ?? 0;
    const lost = this.#sharded?.lost() ?? this.#feed?.lost ?? 0;
    return { errors: { ...this.#errors, feed }, lost };
  }

  /** Stops the read loops and closes the connections (a caller's `client` stays open). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#runs?.close();
    await this.#sharded?.close();
    const connections = await this.#connections?.catch(() => undefined);
    if (connections === undefined) return;
    await this.#feed?.close();
    connections.feed.disconnect();
    await connections.commands.quit().catch(() => connections.commands.disconnect());
  }

  #open(): Promise<{ commands: Redis; feed: Redis; feeds?: Redis[] }> {
    if (this.#closed)
      return Promise.reject(new HeraldError('CLOSED', 'the Redis broker is closed'));
    // Sharded: a commands connection and a feed per shard, already connecting.
    if (this.#sharded !== undefined)
      this.#connections ??= openShardConnections(
        this.#options,
        this.#sharded.keys.length,
        this.#options.cluster,
      ).then((c) => {
        runScripts(c.commands);
        return { commands: c.commands, feed: c.feeds[0]!, feeds: c.feeds };
      });
    this.#connections ??= createConnections(this.#options).then((c) => {
      // Before anyone can send a command on it: an auto-pipeline batch only has the scripts
      // defined when it was made, and a script called into an older batch breaks ioredis (its
      // replies no longer line up with their callers, and it throws outside any promise).
      runScripts(c.commands);
      for (const conn of [c.commands, c.feed]) {
        // ioredis reports each failed reconnect as an 'error' event; the broker surfaces failures
        // through the commands that hit them, so the events only need a listener.
        conn.on('error', () => {});
        conn.connect().catch(() => {});
      }
      return c;
    });
    return this.#connections;
  }

  /** A replica confirmation, or BROKER_UNAVAILABLE saying the publish is on the master only. */
  async #confirmed(confirmation: Promise<void>): Promise<void> {
    try {
      await confirmation;
    } catch (err) {
      this.#errors.append++;
      throw this.#unavailable(
        `has the publish, but not on ${this.#options.replicas} replica(s) (it may not survive a failover)`,
        err,
      );
    }
  }

  /** Waits until the live feed (when started) has delivered `id`; BROKER_UNAVAILABLE if it cannot. */
  async #feedReached(id: string): Promise<void> {
    if (this.#feed === undefined) return;
    if (!(await this.#feed.reached(id, this.#options.commandTimeoutMs))) {
      this.#errors.replay++;
      throw this.#unavailable(`did not deliver ${id} to this process in time`);
    }
  }

  /** The commands connection, after waiting (once, bounded) for the first connect. */
  #commands(): Promise<Redis> {
    this.#commandsReady ??= this.#open().then(async ({ commands }) => {
      await whenReady(commands, this.#options.connectTimeoutMs);
      return commands;
    });
    return this.#commandsReady;
  }

  #shardedLog(shards: number): ShardedBroker {
    const o = this.#options;
    return new ShardedBroker({
      prefix: o.prefix,
      shards,
      maxLen: o.maxLen,
      batch: o.batch,
      connectTimeoutMs: o.connectTimeoutMs,
      commandTimeoutMs: o.commandTimeoutMs,
      onFeedGap: o.onFeedGap,
      replicas: o.replicas,
      replicated: (node) => {
        const wait = this.#replicaWait;
        return wait === undefined ? undefined : this.#confirmed(wait.confirm(node));
      },
      open: () => this.#open() as Promise<{ commands: Redis; feeds: Redis[] }>,
      unavailable: (what, cause) => this.#unavailable(what, cause),
    });
  }

  #unavailable(what: string, cause?: unknown): HeraldError {
    const where =
      this.#options.url ?? (this.#options.client ? 'the given client' : 'redis://127.0.0.1:6379');
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    return new HeraldError('BROKER_UNAVAILABLE', `Redis (${where}) ${what}${detail}`, { cause });
  }
}

function stripUndefined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}
