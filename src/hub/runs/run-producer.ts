import { toMessageEvent } from '../../connection/to-message-event.js';
import { isHeraldError } from '../../errors.js';
import type { Producer } from '../../stream/producer-sink.js';
import { sourceKind } from '../../stream/source-kind.js';
import { startProducer } from '../../stream/start-producer.js';
import type { Hub } from '../hub.js';
import type { RunStatus } from './run-store.js';

/** What a run's producer may be: any stream Herald serves, or a function of the abort signal. */
export type RunSource = ((signal: AbortSignal) => unknown) | object;

// A pull source (async iterable, ReadableStream) is pulled while fewer appends than this wait for
// the log: a model faster than Redis then waits for it instead of queueing without bound.
const MAX_IN_FLIGHT = 64;

/**
 * Runs one run's producer on this process: each item it yields is published to the run's hub (in
 * order), and its end, failure or abort is reported once to `done`, after every publish settled.
 * No client holds it: followers come and go, the producer runs until it ends or is aborted.
 */
export class RunProducer {
  readonly controller = new AbortController();
  #hub: Hub;
  #producer: Producer | undefined;
  #inFlight = 0;
  #waiting: Array<() => void> = [];
  #tail: Promise<unknown> = Promise.resolve();
  #failure: { error: unknown } | undefined;
  #stopped = false;
  #done: (status: RunStatus, error?: unknown) => void;

  constructor(hub: Hub, done: (status: RunStatus, error?: unknown) => void) {
    this.#hub = hub;
    this.#done = done;
  }

  /** Starts `source` (called with the signal when it is a plain function). */
  start(source: RunSource): void {
    try {
      let value: unknown = source;
      if (typeof source === 'function' && sourceKind(source) === undefined) {
        value = (source as (signal: AbortSignal) => unknown)(this.controller.signal);
      }
      if (value instanceof Promise) {
        value.then(
          (s) => this.#attach(s),
          (err: unknown) => this.#fail(err),
        );
      } else this.#attach(value);
    } catch (err) {
      this.#fail(err);
    }
  }

  /** The run ended elsewhere (cancelled, or its lease lost): abort and stop without reporting. */
  abort(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#producer?.cancel();
    this.controller.abort();
  }

  #attach(source: unknown): void {
    if (this.#stopped) return;
    const self = this;
    this.#producer = startProducer(source, {
      next: (item) => this.#publish(item),
      error: (err) => this.#fail(err),
      complete: () => this.#settle(),
      get ready() {
        return self.#inFlight < MAX_IN_FLIGHT;
      },
      whenReady: (fn) => {
        if (this.#inFlight < MAX_IN_FLIGHT) fn();
        else this.#waiting.push(fn);
      },
    });
  }

  #publish(item: unknown): void {
    if (this.#stopped || this.#failure !== undefined) return;
    let published: Promise<string>;
    try {
      published = this.#hub.publish('run', toMessageEvent(item));
    } catch (err) {
      this.#fail(err);
      return;
    }
    this.#inFlight++;
    const landed = published.then(
      () => this.#landed(),
      (err: unknown) => {
        this.#landed();
        // The run ended under it (a cancel, a lost lease): whoever ended it wrote the end.
        if (isHeraldError(err, 'RUN_ENDED')) this.abort();
        else this.#fail(err);
      },
    );
    this.#tail = Promise.all([this.#tail, landed]);
  }

  #landed(): void {
    this.#inFlight--;
    if (this.#inFlight < MAX_IN_FLIGHT) for (const fn of this.#waiting.splice(0)) fn();
  }

  #fail(error: unknown): void {
    if (this.#stopped || this.#failure !== undefined) return;
    this.#failure = { error };
    this.#producer?.cancel();
    this.controller.abort(error);
    this.#settle();
  }

  /** Reports the end once every publish already made has landed (the end event comes last). */
  #settle(): void {
    void this.#tail.then(() => {
      if (this.#stopped) return;
      this.#stopped = true;
      if (this.#failure === undefined) this.#done('done');
      else this.#done('failed', this.#failure.error);
    });
  }
}
