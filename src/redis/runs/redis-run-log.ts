import type { Redis } from 'ioredis';
import { HeraldError } from '../../errors.js';
import type { BrokerEntry, ReplayResult, StoredEvent } from '../../hub/broker.js';
import type { RunLog, RunStatus } from '../../hub/runs/run-store.js';
import type { RawStreamEntry } from '../stream-entry.js';
import { compareStreamIds, isStreamId, ZERO_ID } from '../stream-id.js';
import type { RunFeed } from './run-feed.js';
import { RUN_EVENT_FIELD, RUN_FINAL_FIELD, type RunKeys } from './run-keys.js';
import type { RunScripts } from './run-scripts.js';

/** What a run's log needs of its store. */
export interface RunLogContext {
  commands(): Promise<Redis>;
  scripts(): Promise<RunScripts>;
  readonly batch: number;
  readonly timeoutMs: number;
  unavailable(what: string, cause?: unknown): HeraldError;
}

/**
 * One run's stream (`<prefix>:run:{id}:log`, or `<prefix>:run:{<shard tag>}:<id>:log` sharded) as a hub broker on this process: live entries come
 * from the process's run feed, replays from `XRANGE`, appends through the append script (which
 * refuses them once the run has ended or passed its cap).
 */
/**
 * This process's last acknowledged append to one run it produces ('' for none), kept by the store:
 * each append and the end pass it, so the scripts can tell when a failover lost it.
 */
export interface LastAppend {
  get(): string;
  set(id: string): void;
}

export class RedisRunLog implements RunLog {
  readonly startId = ZERO_ID;
  onEnd: ((status: RunStatus) => void) | undefined;
  #ctx: RunLogContext;
  #keys: RunKeys;
  #feed: RunFeed | undefined;
  #feedOf: () => Promise<RunFeed>;
  #released: () => void;
  #lastAppend: LastAppend;

  /** `feed`: the process's run feed that follows this run's slot. */
  constructor(
    ctx: RunLogContext,
    keys: RunKeys,
    feed: () => Promise<RunFeed>,
    released: () => void,
    lastAppend: LastAppend,
  ) {
    this.#ctx = ctx;
    this.#keys = keys;
    this.#lastAppend = lastAppend;
    this.#feedOf = feed;
    this.#released = released;
  }

  async start(deliver: (entry: BrokerEntry) => void): Promise<void> {
    const feed = await this.#feedOf();
    this.#feed = feed;
    await feed
      .follow(this.#keys.log, (raw) => {
        const entry = decodeRunEntry(raw);
        if (entry === undefined) return;
        deliver(entry);
        if (entry.final) this.onEnd?.((entry.event.data as { status: RunStatus }).status);
      })
      .catch((err: unknown) => {
        throw this.#ctx.unavailable('could not follow a run', err);
      });
  }

  async append(_topic: string, event: StoredEvent, size = 0): Promise<string> {
    const scripts = await this.#ctx.scripts();
    try {
      const id = await scripts.append(
        this.#keys,
        JSON.stringify(event),
        size,
        this.#lastAppend.get(),
      );
      this.#lastAppend.set(id);
      return id;
    } catch (err) {
      const message = (err as Error).message;
      if (message === 'ENDED') throw new HeraldError('RUN_ENDED', 'the run has ended');
      if (message === 'FULL') {
        throw new HeraldError(
          'RUN_TOO_LARGE',
          'the run passed its cap of events or bytes (runs maxEvents / maxBytes)',
        );
      }
      throw this.#ctx.unavailable('did not take a run event (it may or may not be stored)', err);
    }
  }

  /**
   * The run's entries after `id` (one page), or from its start when `id` is not one of them.
   * Resolves once the feed has delivered up to the page's end, as the hub's replay requires.
   */
  async readAfter(id: string, limit = Number.POSITIVE_INFINITY): Promise<ReplayResult> {
    const page = Math.max(1, Math.min(limit, this.#ctx.batch));
    const commands = await this.#ctx.commands();
    const log = this.#keys.log;
    let raw: RawStreamEntry[] | undefined;
    let end: string | undefined;
    try {
      if (id !== ZERO_ID && isStreamId(id)) {
        const from = (await commands.xrange(log, id, '+', 'COUNT', page + 1)) as RawStreamEntry[];
        if (from[0]?.[0] === id) {
          raw = from.slice(1);
          end = id;
        }
      }
      raw ??= (await commands.xrange(log, '-', '+', 'COUNT', page)) as RawStreamEntry[];
    } catch (err) {
      throw this.#ctx.unavailable('could not replay a run', err);
    }
    end = raw.at(-1)?.[0] ?? end;
    if (end !== undefined && !(await this.#feed?.reached(log, end, this.#ctx.timeoutMs))) {
      throw this.#ctx.unavailable(`did not deliver ${end} of a run to this process in time`);
    }
    const entries: BrokerEntry[] = [];
    for (const r of raw) {
      const entry = decodeRunEntry(r);
      if (entry !== undefined) entries.push(entry);
    }
    return { kind: 'ok', entries };
  }

  async readAll(): Promise<readonly BrokerEntry[]> {
    const result = await this.readAfter(ZERO_ID);
    return result.kind === 'ok' ? result.entries : [];
  }

  /**
   * `id` when it is one of the run's entries; else, when it is in a range a failover lost (the
   * hash's `lost:<newest entry kept below>` fields, see run-scripts.ts), that entry kept below
   * it, so the client gets what follows, the loss notice included, never what it had; else the
   * run's start (a foreign id: replay it all).
   */
  async position(id: string): Promise<string> {
    if (id === ZERO_ID || !isStreamId(id)) return ZERO_ID;
    const { log, meta } = this.#keys;
    try {
      const commands = await this.#ctx.commands();
      // Two plain commands, not a MULTI: on the auto-pipelined connection a MULTI issued among
      // pipelined commands has been seen to misalign ioredis's replies under load.
      const [found, fields] = await Promise.all([
        commands.xrange(log, id, id) as Promise<RawStreamEntry[]>,
        commands.hgetall(meta),
      ]);
      if (found.length > 0) return id;
      for (const [field, to] of Object.entries(fields)) {
        if (!field.startsWith('lost:')) continue;
        const kept = field.slice('lost:'.length);
        if (compareStreamIds(kept, id) < 0 && compareStreamIds(id, to) <= 0) return kept;
      }
      return ZERO_ID;
    } catch (err) {
      throw this.#ctx.unavailable('could not look up where a run resumes', err);
    }
  }

  head(): string | undefined {
    return this.#feed?.lastId(this.#keys.log);
  }

  compare(a: string, b: string): number {
    return compareStreamIds(a, b);
  }

  close(): void {
    this.#feed?.unfollow(this.#keys.log);
    this.#released();
  }
}

/** A run stream entry as a hub entry (topic `run`), or undefined for one Herald did not write. */
export function decodeRunEntry([id, fields]: RawStreamEntry): BrokerEntry | undefined {
  let json: string | undefined;
  let final = false;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === RUN_EVENT_FIELD) json = fields[i + 1];
    else if (fields[i] === RUN_FINAL_FIELD) final = true;
  }
  if (json === undefined) return undefined;
  try {
    const event = JSON.parse(json) as StoredEvent;
    if (typeof event !== 'object' || event === null) return undefined;
    return final ? { id, topic: 'run', event, final } : { id, topic: 'run', event };
  } catch {
    return undefined;
  }
}
