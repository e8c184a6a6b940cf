import { Hub } from '../hub.js';
import type { RunProducer } from './run-producer.js';
import type { RunLog, RunStore } from './run-store.js';

/** This process's hold on one run: the hub its followers subscribe to, and its producer if here. */
export interface RunView {
  readonly hub: Hub;
  readonly log: RunLog;
  producer: RunProducer | undefined;
  /** When a subscribe last asked for it (a view being subscribed to is not let go). */
  used: number;
}

/** A view nobody on this process followed for this long is let go (on Redis, its read too). */
const IDLE_MS = 5_000;

/**
 * The runs this process serves, each a small hub over the run's log, opened on first use and let
 * go once it has neither producer nor follower: a process holds what its clients follow, not
 * every run it ever saw.
 */
export class RunViews {
  #store: RunStore;
  #views = new Map<string, RunView>();
  #sweep: NodeJS.Timeout;

  constructor(store: RunStore) {
    this.#store = store;
    this.#sweep = setInterval(() => void this.letGo(false), IDLE_MS);
    this.#sweep.unref();
  }

  get(id: string): RunView | undefined {
    return this.#views.get(id);
  }

  /** The view of run `id`, opened if needed; marked as just used. */
  open(id: string): RunView {
    let view = this.#views.get(id);
    if (view === undefined) {
      const log = this.#store.open(id);
      const opened: RunView = { hub: new Hub({ broker: log }), log, producer: undefined, used: 0 };
      // Whoever ended the run (a cancel, here or elsewhere; a lost lease), its producer stops.
      log.onEnd = () => this.stopProducer(id);
      this.#views.set(id, opened);
      view = opened;
    }
    view.used = Date.now();
    return view;
  }

  /**
   * The run ended elsewhere than in its producer (a cancel, a lost lease): its producer here, if
   * any, is aborted (it reports nothing) and the store lets go of it (lease, last append).
   */
  stopProducer(id: string): void {
    const view = this.#views.get(id);
    const producer = view?.producer;
    if (view === undefined || producer === undefined) return;
    view.producer = undefined;
    producer.abort();
    this.#store.release(id);
  }

  /** Closes the view of `id` (a new run of the same id must not read the old one's log). */
  drop(id: string): void {
    const view = this.#views.get(id);
    if (view === undefined) return;
    this.#views.delete(id);
    void view.hub.close();
  }

  /** The views with a producer running here. */
  producing(): Array<[string, RunView]> {
    return [...this.#views].filter(([, view]) => view.producer !== undefined);
  }

  /** Lets go of views with no producer and no follower (every view when `all`). */
  async letGo(all: boolean): Promise<void> {
    const now = Date.now();
    const closing: Promise<void>[] = [];
    for (const [id, view] of this.#views) {
      const idle = view.producer === undefined && view.hub.stats().subscribers === 0;
      if (all || (idle && now - view.used > IDLE_MS)) {
        this.#views.delete(id);
        closing.push(view.hub.close());
      }
    }
    await Promise.all(closing);
  }

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    await this.letGo(true);
  }
}
