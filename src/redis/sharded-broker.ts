import type { Redis } from 'ioredis';
import type { BrokerEntry, ReplayResult, StoredEvent } from '../hub/broker.js';
import { keySlot } from './key-slot.js';
import { nodeOfSlot } from './node-of-slot.js';
import { readAll } from './replay.js';
import { advanceToken, compareTokens, formatToken, parseToken, splitId } from './shard-id.js';
import { inShard, mergeShards, readShardAfter } from './shard-replay.js';
import { shardKeys, shardOf } from './shards.js';
import { entryFields } from './stream-entry.js';
import { type FeedGap, StreamFeed } from './stream-feed.js';
import { whenReady } from './when-ready.js';

const ADVANCED = Symbol('herald.advanced');

/** A position no stream holds (streams never hand out `0-1`): resuming from it is a gap. */
const UNKNOWN = '0-1';

/** Connections of a sharded broker: commands for every shard, one blocking feed per shard. */
export interface ShardConnections {
  commands: Redis;
  feeds: Redis[];
}

/** What a ShardedBroker needs of the RedisBroker that owns it. */
export interface ShardedSettings {
  prefix: string;
  shards: number;
  maxLen: number;
  batch: number;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  onFeedGap: ((gap: FeedGap) => void) | undefined;
  /** Replicas a publish must reach (RedisBrokerOptions.replicas); 0: none. */
  replicas: number;
  /**
   * With `replicas`: resolves once what `node` (the connection of a shard's master) acknowledged
   * is on enough replicas; rejects (a HeraldError) when not.
   */
  replicated(node: Redis): Promise<void> | undefined;
  open(): Promise<ShardConnections>;
  unavailable(what: string, cause?: unknown): Error;
}

/**
 * The log of a RedisBroker with `shards > 1` or a `cluster`: one stream per shard
 * (`<prefix>:log:{<tag>}`, see `shardTag`), a topic's events all in shard `shardOf(topic)`, and a
 * feed (`StreamFeed`: resync, floors and gaps as for one stream) per shard on its own blocking
 * connection. Ids are `<k>.<stream id>` and a client's position is a token (shard-id.ts).
 */
export class ShardedBroker {
  readonly keys: string[];
  /** Each shard key's cluster slot. */
  #slots: number[];
  #s: ShardedSettings;
  #feeds: StreamFeed[] = [];

  constructor(settings: ShardedSettings) {
    this.#s = settings;
    this.keys = shardKeys(settings.prefix, settings.shards);
    this.#slots = this.keys.map(keySlot);
  }

  async start(deliver: (entry: BrokerEntry) => void, lost?: (gap: FeedGap) => void): Promise<void> {
    const { feeds } = await this.#s.open();
    const ready = await Promise.all(feeds.map((f) => whenReady(f, this.#s.connectTimeoutMs)));
    if (ready.includes(false)) throw this.#s.unavailable('is unreachable');
    this.#feeds = this.keys.map(
      (key, k) =>
        new StreamFeed(feeds[k]!, key, {
          batch: this.#s.batch,
          blockMs: 5_000,
          stallMs: this.#s.commandTimeoutMs,
          commands: async () => (await this.#s.open()).commands,
          // As for one stream (RedisBroker.start), per shard: a certain loss ends the streams, so
          // clients resume by token and are told of the gap in the shards that lost entries.
          onGap: (gap) => {
            const named = { reason: gap.reason, lastId: `${k}.${gap.lastId}` };
            this.#s.onFeedGap?.(named);
            if (gap.reason !== 'restarted') lost?.(named);
          },
        }),
    );
    await Promise.all(
      this.#feeds.map((feed, k) => feed.start((e) => deliver(inShard(k, e)))),
    ).catch((err: unknown) => {
      throw this.#s.unavailable('failed', err);
    });
  }

  async append(topic: string, event: StoredEvent): Promise<string> {
    const k = shardOf(topic, this.#s.shards);
    const fields = entryFields(topic, event);
    const { commands } = await this.#s.open();
    const feed = this.#feeds[k];
    const sentAt = feed?.generation ?? 0;
    // With `replicas`, straight to the connection of the shard's master: the append and the WAIT
    // that confirms it on one connection by construction (a Cluster client would follow a
    // redirect elsewhere, and the WAIT would confirm nothing). Without, through the client.
    const waits = this.#s.replicas > 0;
    const node = waits ? nodeOfSlot(commands, this.#slots[k]!) : commands;
    if (node === undefined) throw new Error('no master is known for the shard (failing over)');
    const id = (await node.xadd(
      this.keys[k]!,
      'MAXLEN',
      '~',
      this.#s.maxLen,
      '*',
      ...fields,
    )) as string;
    feed?.acknowledged(id, sentAt);
    if (waits) await this.#s.replicated(node);
    return `${k}.${id}`;
  }

  /**
   * Entries after `token` in each of its shards, merged (at most `limit`), or a gap when any shard
   * no longer covers its position: the gap's head then moves the shards that lost entries to their
   * head and keeps the client's position in the others, and the hub reads on from it (`readOn`),
   * so a gap in one shard costs the client nothing of the others.
   */
  async readAfter(token: string, limit?: number): Promise<ReplayResult> {
    const positions = parseToken(token) ?? new Map([[0, UNKNOWN]]);
    const { commands } = await this.#s.open();
    const page = limit === undefined ? this.#s.batch : Math.min(this.#s.batch, limit + 1);
    const shards = [...positions];
    const results = await Promise.all(
      shards.map(([k, id]) => readShardAfter(commands, this.keys[k] ?? '', id, page, limit)),
    ).catch((err: unknown) => {
      throw this.#s.unavailable('could not replay', err);
    });
    if (results.some((r) => r.kind === 'gap')) {
      const heads = new Map<number, string>();
      for (let i = 0; i < shards.length; i++) {
        const [k, at] = shards[i]!;
        const r = results[i]!;
        if (r.kind !== 'gap') {
          heads.set(k, at);
          continue;
        }
        if (r.headId !== null) await this.#reached(k, r.headId);
        heads.set(k, this.#feeds[k]?.lastId ?? r.headId ?? UNKNOWN);
      }
      return { kind: 'gap', oldestId: null, headId: formatToken(heads), readOn: true };
    }
    const lists = shards.map(([k], i) => {
      const r = results[i]!;
      return { k, entries: r.kind === 'ok' ? r.entries : [] };
    });
    const entries = mergeShards(lists, limit);
    // Each shard's part must have reached this process's feed (see RedisBroker.readAfter).
    const ends = new Map(shards);
    for (const e of entries) ends.set(...splitId(e.id));
    for (const [k, id] of ends) if (id !== UNKNOWN) await this.#reached(k, id);
    return { kind: 'ok', entries };
  }

  async readAll(): Promise<readonly BrokerEntry[]> {
    const { commands } = await this.#s.open();
    const lists = await Promise.all(
      this.keys.map(async (key, k) => ({
        k,
        entries: await readAll(commands, key, this.#s.batch),
      })),
    ).catch((err: unknown) => {
      throw this.#s.unavailable('could not replay', err);
    });
    const entries = mergeShards(lists);
    for (const { k, entries: list } of lists) {
      const last = list.at(-1);
      if (last !== undefined) await this.#reached(k, last.id);
    }
    return entries;
  }

  /** Acknowledged appends every shard's feed found lost. */
  lost(): number {
    return this.#feeds.reduce((sum, f) => sum + f.lost, 0);
  }

  /** Failed reads of every shard's feed (stalls included). */
  feedErrors(): number {
    return this.#feeds.reduce((sum, f) => sum + f.errors, 0);
  }

  /** Every shard's last delivered position (undefined before start). */
  head(): string | undefined {
    if (this.#feeds.length === 0) return undefined;
    return formatToken(new Map(this.#feeds.map((f, k) => [k, f.lastId])));
  }

  /**
   * The token of a subscriber to `topics`: `id` narrowed (or widened) to exactly its shards, a
   * shard `id` does not name getting a position that is a gap; with no id, the feed's head there.
   */
  scope(topics: readonly string[], id: string | undefined): string | undefined {
    const shards = [...new Set(topics.map((t) => shardOf(t, this.#s.shards)))];
    if (id === undefined && this.#feeds.length === 0) return undefined;
    const given = id === undefined ? undefined : parseToken(id);
    const positions = new Map<number, string>();
    for (const k of shards)
      positions.set(k, id === undefined ? this.#feeds[k]!.lastId : (given?.get(k) ?? UNKNOWN));
    return formatToken(positions);
  }

  compare(a: string, b: string): number {
    return compareTokens(a, b);
  }

  /**
   * The last answer is kept on the entry: subscribers of the same topics, live together, ask with
   * the same token, so a vector is parsed and written once per entry, not once per subscriber.
   */
  advance(token: string | undefined, entry: BrokerEntry): string {
    const kept = (entry as { [ADVANCED]?: { from: string | undefined; to: string } })[ADVANCED];
    if (kept !== undefined && kept.from === token) return kept.to;
    const to = advanceToken(token, entry.id);
    (entry as { [ADVANCED]?: { from: string | undefined; to: string } })[ADVANCED] = {
      from: token,
      to,
    };
    return to;
  }

  async close(): Promise<void> {
    await Promise.all(this.#feeds.map((f) => f.close()));
  }

  async #reached(k: number, id: string): Promise<void> {
    const feed = this.#feeds[k];
    if (feed === undefined) return;
    if (!(await feed.reached(id, this.#s.commandTimeoutMs)))
      throw this.#s.unavailable(`did not deliver ${k}.${id} to this process in time`);
  }
}
