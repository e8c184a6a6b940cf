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
import { RedisRunLog, type RunLogContext } from './redis-run-log.js';
import { RunFeed } from './run-feed.js';
import { runKeys } from './run-keys.js';
import { type RunScripts, runScripts } from './run-scripts.js';

/** What a RedisRunStore needs of its broker. */
export interface RedisRunStoreOptions {
  prefix: string;
  /** How long a run outlives a silent producer before it ends `failed`, ms. */
  leaseMs: number;
  batch: number;
  commandTimeoutMs: number;
  /** The broker's commands connection, once connected. */
  commands(): Promise<Redis>;
  /** A new connection for the run feed (the process's third, whatever the number of runs). */
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
  #feed: Promise<RunFeed> | undefined;
  #scripts: Promise<RunScripts> | undefined;
  /** Runs whose producer runs here, with their ttl (renewed). */
  #owned = new Map<string, number>();
  /** Views of runs opened on this process, by id (checked for a lost lease). */
  #followed = new Map<string, number>();
  /** Runs this process ended, until their ttl passes (for `counts`). */
  #ended = new Map<string, NodeJS.Timeout>();
  #timers: NodeJS.Timeout[] = [];

  constructor(options: RedisRunStoreOptions) {
    this.#options = options;
    const store = this;
    this.#ctx = {
      get feed() {
        return store.#runFeed();
      },
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
        runKeys(this.#options.prefix, id),
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
    this.#startTimers();
    return true;
  }

  open(id: string): RunLog {
    this.#followed.set(id, (this.#followed.get(id) ?? 0) + 1);
    this.#startTimers();
    return new RedisRunLog(this.#ctx, runKeys(this.#options.prefix, id), () => {
      const n = (this.#followed.get(id) ?? 1) - 1;
      if (n > 0) this.#followed.set(id, n);
      else this.#followed.delete(id);
    });
  }

  finish(id: string, status: RunStatus): Promise<string | undefined> {
    return this.#finish(id, status, false);
  }

  async info(id: string): Promise<RunInfo | undefined> {
    const commands = await this.#options.commands();
    const [state, endId] = await commands
      .hmget(runKeys(this.#options.prefix, id).meta, 'state', 'end')
      .catch((err: unknown) => {
        throw this.#options.unavailable('could not look a run up', err);
      });
    if (state === null || state === undefined) return undefined;
    return { state: state as RunInfo['state'], endId: endId ?? undefined };
  }

  release(id: string): void {
    this.#owned.delete(id);
  }

  counts(): { active: number; retained: number } {
    return { active: this.#owned.size, retained: this.#ended.size };
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    for (const timer of this.#ended.values()) clearTimeout(timer);
    this.#ended.clear();
    const feed = await this.#feed?.catch(() => undefined);
    await feed?.close();
  }

  async #finish(id: string, status: RunStatus, ifLeaseLost: boolean): Promise<string | undefined> {
    const scripts = await this.#loadScripts();
    const reply = await scripts
      .finish(
        runKeys(this.#options.prefix, id),
        status,
        JSON.stringify(endEvent(status)),
        ifLeaseLost,
      )
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

  #runFeed(): Promise<RunFeed> {
    this.#feed ??= this.#options
      .connect()
      .then((conn) => new RunFeed(conn, () => this.#options.commands(), this.#options.batch));
    return this.#feed;
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
    const { leaseMs, prefix } = this.#options;
    const scripts = await this.#loadScripts().catch(() => undefined);
    await Promise.all(
      [...this.#owned].map(([id, ttl]) =>
        scripts?.renew(runKeys(prefix, id), this.owner, leaseMs, leaseMs + ttl).catch(() => 0),
      ),
    );
  }

  /** Ends `failed` the followed runs whose producer's lease ran out (its process is gone). */
  async #check(): Promise<void> {
    const ids = [...this.#followed.keys()].filter((id) => !this.#owned.has(id));
    await Promise.all(ids.map((id) => this.#finish(id, 'failed', true).catch(() => undefined)));
  }
}
