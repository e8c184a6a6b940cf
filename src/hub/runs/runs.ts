import { HeraldError, isHeraldError } from '../../errors.js';
import type { Hub } from '../hub.js';
import type { HubSubscription } from '../hub-subscription.js';
import { MemoryRunStore } from './memory-run-store.js';
import { checkRunId, isRunId, stripUndefined } from './run-id.js';
import { RunProducer, type RunSource } from './run-producer.js';
import type { RunStatus, RunStore } from './run-store.js';
import { type RunView, RunViews } from './run-views.js';

/** Options of `Runs` (`HubModule.forRoot({ runs })`). */
export interface RunsOptions {
  /** How long a run's events are kept after it ends, ms. Default 10 minutes. */
  ttlMs?: number;
  /** Most events one run may hold; past it the run ends `failed` (`RUN_TOO_LARGE`). Default 1,000,000. */
  maxEvents?: number;
  /** Most encoded bytes one run may hold, likewise. Default 64 MiB. */
  maxBytes?: number;
  /** Told why a run ended `failed` (its producer threw, or passed the cap). Default: a warning. */
  onError?: (id: string, error: unknown) => void;
}

/** Options of `runs.start`. */
export interface RunStartOptions {
  /** How long this run's events are kept after it ends, ms (default: the `Runs` option). */
  ttlMs?: number;
}

/** Options of `runs.subscribe`. */
export interface RunSubscribeOptions {
  /** The client's `Last-Event-ID`: replay from after it instead of from the run's start. */
  lastEventId?: string | null | undefined;
}

/** How long a producer's end is tried again while the store is unavailable, ms. */
const FINISH_RETRY_MS = 15_000;

const DEFAULTS = { ttlMs: 10 * 60_000, maxEvents: 1_000_000, maxBytes: 64 * 1024 * 1024 };

/**
 * Resumable runs: streams that outlive their connection (an AI answer, a long job). A run is
 * started once, its producer runs on this process whoever listens, its events are kept from the
 * first until `ttlMs` after its end, and any number of clients follow it from any process, resume
 * it by `Last-Event-ID`, and get a terminal `herald:end` event saying how it ended.
 *
 * @example
 * await runs.start(id, (signal) => model.stream(prompt, { signal }), { ttlMs: 600_000 });
 * return runs.subscribe(id, { lastEventId });
 */
export class Runs {
  #store: RunStore;
  #ownStore: boolean;
  #options: Required<Omit<RunsOptions, 'onError'>> & Pick<RunsOptions, 'onError'>;
  #views: RunViews;
  #closed = false;

  constructor(hub: Hub, options: RunsOptions = {}) {
    const fromBroker = hub.broker.runStore?.();
    this.#store = fromBroker ?? new MemoryRunStore();
    this.#ownStore = fromBroker === undefined;
    this.#options = { ...DEFAULTS, ...stripUndefined(options) };
    hub.countRuns(() => this.#store.counts());
    this.#views = new RunViews(this.#store);
  }

  /**
   * Claims `id` (on Redis, atomically across processes) and starts the producer on this process:
   * a stream (Observable, async iterable, ReadableStream, EventTarget, iterable), or a function
   * given an `AbortSignal` that returns one. Rejects with `RUN_EXISTS` (409) when the id is
   * running or still retained. Clients leaving never stop the producer; `cancel` does.
   */
  async start(id: string, source: RunSource, options: RunStartOptions = {}): Promise<void> {
    if (this.#closed) throw new HeraldError('CLOSED', 'runs are closed');
    checkRunId(id);
    const ttlMs = options.ttlMs ?? this.#options.ttlMs;
    if (!(ttlMs >= 0)) throw new RangeError(`ttlMs must be a non-negative number, got ${ttlMs}`);
    const { maxEvents, maxBytes } = this.#options;
    if (!(await this.#store.claim(id, { ttlMs, maxEvents, maxBytes }))) {
      throw new HeraldError('RUN_EXISTS', `run "${id}" is running or still retained`);
    }
    // A view left from an earlier run of the same id reads the wrong log: start afresh.
    this.#views.drop(id);
    const local = this.#views.open(id);
    const producer = new RunProducer(local.hub, (status, error) =>
      this.#ended(id, local, status, error),
    );
    local.producer = producer;
    producer.start(source);
  }

  /**
   * The run's events after `lastEventId` (or from its start), then live ones, then `herald:end`
   * with `{ status }`, then the end of the stream. Resolves null when `lastEventId` is the
   * terminal event's own id (a route answers 204: EventSource stops). Rejects with
   * `RUN_NOT_FOUND` (404) for an unknown or expired id.
   */
  async subscribe(id: string, options: RunSubscribeOptions = {}): Promise<HubSubscription | null> {
    if (this.#closed) throw new HeraldError('CLOSED', 'runs are closed');
    const info = isRunId(id) ? await this.#store.info(id) : undefined;
    if (info === undefined) throw new HeraldError('RUN_NOT_FOUND', `no run "${String(id)}"`);
    const last = options.lastEventId;
    if (info.endId !== undefined && last === info.endId) return null;
    const local = this.#views.open(id);
    // An id that is not the run's (another run's, garbage) replays the run from its start.
    const from = last ? await local.log.position(last) : local.log.startId;
    return local.hub.subscribe('run', { lastEventId: from });
  }

  /**
   * Ends a running run as `cancelled` and aborts its producer's signal wherever it runs. Resolves
   * true if it was running, false otherwise (ended, expired, unknown).
   */
  async cancel(id: string): Promise<boolean> {
    if (!isRunId(id)) return false;
    const ended = await this.#store.finish(id, 'cancelled');
    if (ended !== undefined) this.#views.stopProducer(id);
    return ended !== undefined;
  }

  /** Runs running and retained (also in `hub.stats().runs`). */
  stats(): { active: number; retained: number } {
    return this.#store.counts();
  }

  /**
   * Stops: producers running here are aborted and their runs end `failed` (followers elsewhere
   * are told at once, not after a lease), and every follower's stream ends.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const ending: Promise<unknown>[] = [];
    for (const [id, local] of this.#views.producing()) {
      local.producer?.abort();
      local.producer = undefined;
      ending.push(this.#store.finish(id, 'failed').catch(() => undefined));
    }
    await Promise.all(ending);
    await this.#views.close();
    if (this.#ownStore) await this.#store.close();
  }

  /** Lifecycle hook: `Runs` provided through DI close with the app, before their hub. */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  async #ended(id: string, local: RunView, status: RunStatus, error: unknown): Promise<void> {
    if (local.producer !== undefined) local.producer = undefined;
    if (error !== undefined) this.#report(id, error);
    try {
      await this.#finishSoon(id, status);
    } catch (err) {
      this.#report(id, err);
    } finally {
      this.#store.release(id);
    }
  }

  /**
   * Writes the run's end, trying again while the store is unavailable (a broker failing over or
   * reconnecting: often what ended the producer) for up to FINISH_RETRY_MS, so followers get the
   * run's own end rather than `failed` when its lease runs out.
   */
  async #finishSoon(id: string, status: RunStatus): Promise<void> {
    const until = Date.now() + FINISH_RETRY_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#store.finish(id, status);
        return;
      } catch (err) {
        if (!isHeraldError(err, 'BROKER_UNAVAILABLE') || Date.now() >= until || this.#closed)
          throw err;
        await new Promise((r) => setTimeout(r, Math.min(1_000, 100 * 2 ** attempt)).unref());
      }
    }
  }

  #report(id: string, error: unknown): void {
    const onError = this.#options.onError;
    if (onError !== undefined) onError(id, error);
    else process.emitWarning(`run "${id}" failed: ${String((error as Error)?.message ?? error)}`);
  }
}
