import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { HeraldError } from '../../errors.js';
import {
  endEvent,
  type RunInfo,
  type RunLimits,
  type RunLog,
  type RunStatus,
  type RunStore,
} from '../../hub/runs/run-store.js';
import { keySlot } from '../key-slot.js';
import { shardOf, shardTag } from '../shards.js';
import { RedisRunLog, type RunLogContext } from './redis-run-log.js';
import { RunFeed } from './run-feed.js';
import { type RunKeys, runKeys } from './run-keys.js';
import { type RunScripts, runScripts } from './run-scripts.js';

/** What a RedisRunStore needs of its broker. */
export interface RedisRunStoreOptions {
  prefix: string;
  /** How long a run outlives a silent producer before it ends `failed`, ms. */
  leaseMs: number;
  batch: number;
  commandTimeoutMs: number;
  /**
   * The broker's shards when its log is sharded (`shards > 1` or a cluster), else undefined: a
   * sharded broker's runs keep their keys in their shard's slot (run-keys.ts).
   */
  shards: number | undefined;
  /**
   * On a Redis Cluster: one run feed per shard (one `XREAD` cannot span slots), each opened when
   * a run of that shard is first followed. On one server: one run feed for every run.
   */
  cluster: boolean;
  /** The broker's commands connection (a Cluster client on a cluster), once connected. */
  commands(): Promise<Redis>;
  /**
   * A new connection for a run feed: on one server the process's third, whatever the number of
   * runs; on a cluster a Cluster client per shard with runs followed here.
   */
  connect(): Promise<Redis>;
  unavailable(what: string, cause?: unknown): HeraldError;
}

/**
 * Runs on Redis, shared by every process on the prefix (see ARCHITECTURE.md). Claims, appends and
 * ends are scripts over one run's keys, so they are atomic across processes. The process that
 * claimed a run renews its lease every third of `leaseMs`; a process following a run checks every
 * quarter of it and, once the lease is gone (its producer's process died), ends the run `failed`.
 */
export class RedisRunStore implements RunStore {
  /** This process's token in leases. */
  readonly owner = randomUUID();
  #options: RedisRunStoreOptions;
  #ctx: RunLogContext;
  /** Run feeds by shard (only shard 0 on one server). */
  #feeds = new Map<number, Promise<RunFeed>>();
  #scripts: Promise<RunScripts> | undefined;
  /** Runs whose producer runs here, with their ttl (renewed). */
  #owned = new Map<string, number>();
  /** Views of runs opened on this process, by id (checked for a lost lease). */
  #followed = new Map<string, number>();
  /** Runs this process ended, until their ttl passes (for `counts`). */
  #ended = new Map<string, NodeJS.Timeout>();
  #timers: NodeJS.Timeout[] = [];
  /** The last acknowledged append of each run produced here, by id (see LastAppend). */
  #acked = new Map<string, string>();

  constructor(options: RedisRunStoreOptions) {
    this.#options = options;
    this.#ctx = {
      commands: () => options.commands(),
      scripts: () => this.#loadScripts(),
      batch: options.batch,
      timeoutMs: options.commandTimeoutMs,
      unavailable: (what, cause) => options.unavailable(what, cause),
    };
  }

  async claim(id: string, limits: RunLimits): Promise<boolean> {
    const { leaseMs } = this.#options;
    const scripts = await this.#loadScripts();
    const claimed = await scripts
      .claim(
        this.#keys(id),
        this.owner,
        leaseMs,
        leaseMs + limits.ttlMs,
        limits.ttlMs,
        limits.maxEvents,
        limits.maxBytes,
      )
      .catch((err: unknown) => {
        throw this.#options.unavailable('could not claim a run', err);
      });
    if (claimed !== 1) return false;
    this.#owned.set(id, limits.ttlMs);
    this.#acked.delete(id);
    this.#startTimers();
    return true;
  }

  open(id: string): RunLog {
    this.#followed.set(id, (this.#followed.get(id) ?? 0) + 1);
    this.#startTimers();
    return new RedisRunLog(
      this.#ctx,
      this.#keys(id),
      () => this.#runFeed(id),
      () => {
        const n = (this.#followed.get(id) ?? 1) - 1;
        if (n > 0) this.#followed.set(id, n);
        else this.#followed.delete(id);
      },
      {
        get: () => this.#acked.get(id) ?? '',
        set: (entry) => {
          if (this.#owned.has(id)) this.#acked.set(id, entry);
        },
      },
    );
  }

  finish(id: string, status: RunStatus): Promise<string | undefined> {
    return this.#finish(id, status, false);
  }

  async info(id: string): Promise<RunInfo | undefined> {
    const commands = await this.#options.commands();
    const [state, endId] = await commands
      .hmget(this.#keys(id).meta, 'state', 'end')
      .catch((err: unknown) => {
        throw this.#options.unavailable('could not look a run up', err);
      });
    if (state === null || state === undefined) return undefined;
    return { state: state as RunInfo['state'], endId: endId ?? undefined };
  }

  release(id: string): void {
    this.#owned.delete(id);
    this.#acked.delete(id);
  }

  counts(): { active: number; retained: number } {
    return { active: this.#owned.size, retained: this.#ended.size };
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    for (const timer of this.#ended.values()) clearTimeout(timer);
    this.#ended.clear();
    const feeds = await Promise.all([...this.#feeds.values()].map((f) => f.catch(() => undefined)));
    await Promise.all(feeds.map((feed) => feed?.close()));
  }

  async #finish(id: string, status: RunStatus, ifLeaseLost: boolean): Promise<string | undefined> {
    const scripts = await this.#loadScripts();
    const keys = this.#keys(id);
    const prev = ifLeaseLost ? '' : (this.#acked.get(id) ?? '');
    const reply = await scripts
      .finish(keys, status, JSON.stringify(endEvent(status)), ifLeaseLost, prev)
      .catch((err: unknown) => {
        throw this.#options.unavailable('could not end a run', err);
      });
    if (reply === null) return undefined;
    const [endId, ttl] = reply;
    clearTimeout(this.#ended.get(id));
    const timer = setTimeout(() => this.#ended.delete(id), Number(ttl));
    timer.unref();
    this.#ended.set(id, timer);
    return endId;
  }

  /** Run `id`'s keys: in its shard's slot when sharded (see run-keys.ts). */
  #keys(id: string): RunKeys {
    const { prefix, shards } = this.#options;
    if (shards === undefined) return runKeys(prefix, id);
    return runKeys(prefix, id, shardTag(shardOf(id, shards), shards));
  }

  /** The run feed that follows run `id`: the process's only one, or its shard's on a cluster. */
  #runFeed(id: string): Promise<RunFeed> {
    const { shards, cluster } = this.#options;
    const k = cluster && shards !== undefined ? shardOf(id, shards) : 0;
    let feed = this.#feeds.get(k);
    if (feed === undefined) {
      const slot = keySlot(this.#keys(id).log);
      feed = this.#options.connect().then(
        (conn) =>
          new RunFeed(
            conn,
            () => this.#options.commands(),
            () => this.#loadScripts(),
            this.#options.batch,
            slot,
            // A silent link is noticed within the block (2 s) + this, as for the log's feed.
            this.#options.commandTimeoutMs,
          ),
      );
      this.#feeds.set(k, feed);
    }
    return feed;
  }

  #loadScripts(): Promise<RunScripts> {
    this.#scripts ??= this.#options.commands().then(runScripts);
    return this.#scripts;
  }

  /** The lease timers, started with the first run claimed or followed here (none before). */
  #startTimers(): void {
    if (this.#timers.length > 0) return;
    const { leaseMs } = this.#options;
    const renew = setInterval(() => void this.#renew(), Math.max(50, leaseMs / 3));
    const check = setInterval(() => void this.#check(), Math.max(50, leaseMs / 4));
    renew.unref();
    check.unref();
    this.#timers.push(renew, check);
  }

  async #renew(): Promise<void> {
    if (this.#owned.size === 0) return;
    const { leaseMs } = this.#options;
    const scripts = await this.#loadScripts().catch(() => undefined);
    await Promise.all(
      [...this.#owned].map(([id, ttl]) =>
        scripts?.renew(this.#keys(id), this.owner, leaseMs, leaseMs + ttl).catch(() => 0),
      ),
    );
  }

  /** Ends `failed` the followed runs whose producer's lease ran out (its process is gone). */
  async #check(): Promise<void> {
    const ids = [...this.#followed.keys()].filter((id) => !this.#owned.has(id));
    await Promise.all(ids.map((id) => this.#finish(id, 'failed', true).catch(() => undefined)));
  }
}
