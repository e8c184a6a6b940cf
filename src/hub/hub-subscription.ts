import { HeraldError } from '../errors.js';
import {
  ATTACH_FRAMES,
  type AttachedProducer,
  type FrameSink,
  type FrameSource,
} from '../stream/frame-source.js';
import type { MessageEvent } from '../wire/message-event.js';
import type { ReplayResult } from './broker.js';
import type { HubHost } from './hub-host.js';
import { REPLAY_PAGE, replay } from './replay.js';
import { rxjsFrom } from './rxjs-interop.js';
import { eventOf, Subscriber, type SubscriberFilter, type SubscriberOutput } from './subscriber.js';

/** Options of `hub.subscribe`. */
export interface SubscribeOptions {
  /** The client's `Last-Event-ID` (e.g. from `@LastEventId()`): replay everything after it. */
  lastEventId?: string | null | undefined;
  /** Per-subscriber filter (seed 001's per-email case). */
  filter?: SubscriberFilter;
  /** Without a lastEventId: `none` (default) streams live events only, `all` replays all history first. */
  replay?: 'none' | 'all';
  /** Passed to the hub's `authorize` hook (typically the request). */
  context?: unknown;
}

// The interop key rxjs and other Observable libraries look for: `Symbol.observable` where a
// polyfill defined it, else the string they all fall back to.
const OBSERVABLE: '@@observable' =
  ((Symbol as { observable?: symbol }).observable as '@@observable' | undefined) ?? '@@observable';

/**
 * A subscription recipe, returned by `hub.subscribe()`. Returned from an `@Sse` handler it writes
 * the hub's shared frames straight into the connection; on the server it is an Observable and an
 * async iterable of MessageEvents (with ids). Each consumer gets its own subscriber.
 */
export class HubSubscription implements FrameSource, AsyncIterable<MessageEvent<unknown>> {
  #hub: HubHost;
  #topics: readonly string[];
  #options: SubscribeOptions;

  /** @internal Use `hub.subscribe()`. */
  constructor(hub: HubHost, topics: readonly string[], options: SubscribeOptions) {
    this.#hub = hub;
    this.#topics = topics;
    this.#options = options;
  }

  /** The topics subscribed to. */
  get topics(): readonly string[] {
    return this.#topics;
  }

  /** @internal The connection fast path: the subscriber writes frames into the connection. */
  [ATTACH_FRAMES](sink: FrameSink): AttachedProducer {
    return this.#run({ sink });
  }

  /** Observable interop: each event with its id; `error` on refusal or broker failure. */
  subscribe(observer: {
    next?: (event: MessageEvent<unknown>) => void;
    error?: (err: unknown) => void;
    complete?: () => void;
  }): { unsubscribe(): void } {
    let producer: AttachedProducer;
    try {
      producer = this.#run({
        output: {
          entry: (entry) => observer.next?.(eventOf(entry)),
          notice: (event) => observer.next?.(event as MessageEvent<unknown>),
          error: (err) => observer.error?.(err),
          complete: () => observer.complete?.(),
        },
      });
    } catch (err) {
      observer.error?.(err);
      return { unsubscribe() {} };
    }
    producer.ready?.catch((err: unknown) => observer.error?.(err));
    return { unsubscribe: () => producer.cancel() };
  }

  /**
   * Observable interop (rxjs `from()` checks this key first): without it `from()` would take the
   * async-iterable path, whose unsubscribe only takes effect when the next event arrives.
   */
  [OBSERVABLE](): this {
    return this;
  }

  /**
   * @internal rxjs's `isObservable()` wants `lift` beside `subscribe`, and NestJS's own `@Sse` then
   * pipes what it checked: both go through rxjs's `from(this)`, so the subscription passes there.
   */
  lift(operator: unknown): unknown {
    return rxjsFrom(this).lift(operator);
  }

  /** @internal See `lift`; typed code pipes `from(subscription)`. */
  pipe(...operators: unknown[]): unknown {
    return rxjsFrom(this).pipe(...operators);
  }

  /** Async iteration over events (with ids); `break` unsubscribes. */
  [Symbol.asyncIterator](): AsyncIterator<MessageEvent<unknown>> {
    const queue: MessageEvent<unknown>[] = [];
    let wake: (() => void) | undefined;
    let failure: { err: unknown } | undefined;
    let completed = false;
    const subscription = this.subscribe({
      next: (event) => {
        queue.push(event);
        wake?.();
      },
      error: (err) => {
        failure = { err };
        wake?.();
      },
      complete: () => {
        completed = true;
        wake?.();
      },
    });
    return {
      next: async () => {
        while (queue.length === 0 && failure === undefined && !completed) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
        if (queue.length > 0) return { done: false, value: queue.shift()! };
        subscription.unsubscribe();
        if (failure !== undefined) throw failure.err;
        return { done: true, value: undefined };
      },
      return: async () => {
        subscription.unsubscribe();
        return { done: true, value: undefined };
      },
    };
  }

  /**
   * Registers a subscriber, replays what the client missed, then goes live. Synchronous when
   * nothing needs waiting (the in-memory broker, no authorize hook), so errors reach the caller
   * before any byte; otherwise the returned `ready` settles once authorized and the replay is read.
   */
  #run(target: { sink: FrameSink } | { output: SubscriberOutput }): AttachedProducer {
    const hub = this.#hub;
    if (hub.closed) throw new HeraldError('CLOSED', 'the hub is closed');
    const subscriber = new Subscriber(hub, this.#topics, target, this.#options.filter);
    const { advance } = hub.broker;
    if (advance !== undefined) subscriber.track(this.#after(), advance.bind(hub.broker));
    const authorize = hub.authorize;
    if (authorize === undefined && hub.ready === undefined) {
      hub.add(subscriber);
      let read: ReplayResult | Promise<ReplayResult> | undefined;
      try {
        read = this.#read();
        // A consumer that throws while the replay is sent synchronously must not stay registered.
        if (!(read instanceof Promise)) this.#replay(subscriber, read);
      } catch (err) {
        subscriber.cancel();
        throw err;
      }
      if (!(read instanceof Promise)) return subscriber;
      subscriber.ready = read.then((result) => this.#replay(subscriber, result));
    } else {
      subscriber.ready = (async () => {
        await hub.ready;
        if (authorize !== undefined) {
          for (const topic of this.#topics) {
            if (!(await authorize(topic, this.#options.context))) {
              throw new HeraldError('FORBIDDEN_TOPIC', `not allowed to subscribe to "${topic}"`);
            }
          }
        }
        if (subscriber.closed) return;
        // The hub may have closed while this waited: refuse (503 before any byte) rather than
        // start a stream no hub will ever feed.
        if (hub.closed) throw new HeraldError('CLOSED', 'the hub is closed');
        hub.add(subscriber);
        const result = await this.#read();
        if (hub.closed) throw new HeraldError('CLOSED', 'the hub is closed');
        this.#replay(subscriber, result);
      })();
    }
    subscriber.ready.catch(() => subscriber.cancel());
    return subscriber;
  }

  /** The client's id, as its position in this subscription's topics when the broker scopes ids. */
  #after(): string | undefined {
    const { lastEventId } = this.#options;
    if (typeof lastEventId !== 'string' || lastEventId === '') return undefined;
    const { broker } = this.#hub;
    return broker.scope !== undefined ? broker.scope(this.#topics, lastEventId) : lastEventId;
  }

  /** What to replay: after the client's id, everything, or nothing. */
  #read(): ReplayResult | Promise<ReplayResult> | undefined {
    const { replay } = this.#options;
    const broker = this.#hub.broker;
    const after = this.#after();
    if (after !== undefined) return broker.readAfter(after, REPLAY_PAGE);
    if (replay !== 'all') return undefined;
    const all = broker.readAll();
    return all instanceof Promise
      ? all.then((entries) => ({ kind: 'ok', entries }) as const)
      : { kind: 'ok', entries: all };
  }

  /**
   * Starts the stream: nothing to replay (live from the log's head), or the replay, sent at the
   * pace the consumer takes it, then what arrived meanwhile, then live events.
   */
  #replay(subscriber: Subscriber, result: ReplayResult | undefined): void {
    const hub = this.#hub;
    const after = this.#after();
    if (result === undefined || (after === undefined && isEmpty(result))) {
      // A client with no id yet is given the head's, so a drop before its first event loses none.
      const { broker } = hub;
      const head =
        broker.scope !== undefined ? broker.scope(this.#topics, undefined) : broker.head?.();
      if (head !== undefined && after === undefined) subscriber.position(head);
      subscriber.goLive(head, hub.compare, hub.frameOf);
      return;
    }
    replay(hub, subscriber, after, result);
  }
}

function isEmpty(result: ReplayResult): boolean {
  return result.kind === 'ok' && result.entries.length === 0;
}
