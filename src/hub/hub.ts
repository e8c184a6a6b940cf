import { HeraldError } from '../errors.js';
import { serializeEvent } from '../wire/encode.js';
import { Frame } from '../wire/frame.js';
import type { MessageEvent } from '../wire/message-event.js';
import type { BrokerEntry, HubBroker, StoredEvent } from './broker.js';
import { HubSubscription, type SubscribeOptions } from './hub-subscription.js';
import type { HubObserver } from './hub-observer.js';
import { type HistoryOptions, MemoryBroker } from './memory-broker.js';
import type { HubHost } from './hub-host.js';
import { replay } from './replay.js';
import { nextReplayTurn } from './replay-budget.js';
import { TopicRegistry } from './topic-registry.js';

/** Options of a Hub. */
export interface HubOptions {
  /** Retained history, for the embedded broker (a Redis broker has its own `maxLen`). */
  history?: HistoryOptions;
  /** The event log; the embedded in-memory broker when absent. */
  broker?: HubBroker;
  /**
   * Decides whether a subscriber may read a topic; `context` is what the subscribe call passed
   * (typically the request). A refusal answers 403 before the stream starts.
   */
  authorize?: (topic: string, context: unknown) => boolean | Promise<boolean>;
  /** Most subscribers one topic may have; past it a subscribe answers 503. Default: no cap. */
  maxSubscribersPerTopic?: number;
  /**
   * Told when the broker cannot start (`'unavailable'`, with the error, once per run of failed
   * attempts: the retries that follow are not reported) and when a later attempt starts it
   * (`'available'`). For logging; it changes nothing about retrying.
   */
  onBrokerState?: (state: 'unavailable' | 'available', error?: unknown) => void;
}

/** Counters of a Hub, for dashboards and tests. */
export interface HubStats {
  /** Subscribers per topic now. */
  topics: Record<string, number>;
  /** Subscribers now (one subscribed to three topics counts once). */
  subscribers: number;
  /** Events published through this hub object. */
  published: number;
  /** Events this hub received from its broker (all processes' publishes, on a shared broker). */
  received: number;
  /** Frames handed to subscribers, live and replayed. */
  delivered: number;
  /** Events sent from history on resume. */
  replayed: number;
  /** Resumes whose Last-Event-ID history no longer covered. */
  gaps: number;
  /** Subscriber connections closed for falling too far behind (they resume by Last-Event-ID). */
  droppedConnections: number;
  /**
   * Resumable runs (`Runs`): `active` are running, `retained` have ended and are kept until their
   * `ttlMs` passes. On Redis, as this process knows them: runs producing here, and runs it ended.
   */
  runs: { active: number; retained: number };
}

// The serialized form of a locally published event, computed once at publish (which also validates
// it) and reused when the broker hands the same object back. A symbol key stays out of JSON.
const BODY = Symbol('herald.body');
// When an observer is set: `performance.now()` at publish(), for the delivery lag.
const PUBLISHED_AT = Symbol('herald.publishedAt');
const MAX_TOPIC_LENGTH = 256;

/**
 * Topics, history, `Last-Event-ID` replay and fan-out. Publish once; every subscriber of the topic
 * gets the event, encoded once and written as the same bytes to every connection.
 *
 * @example
 * const hub = new Hub({ history: { maxEvents: 1000 } });
 * await hub.publish('news', { data: { title: 'Hello' }, type: 'headline' });
 * // in an @Sse handler:
 * return hub.subscribe('news', { lastEventId });
 */
export class Hub {
  #broker: HubBroker;
  #options: HubOptions;
  #topics = new TopicRegistry();
  #started: Promise<void> | undefined;
  #closed = false;
  #fanning = false;
  #backlog: BrokerEntry[] = [];
  #restart: NodeJS.Timeout | undefined;
  #host: HubHost;
  #runs: (() => { active: number; retained: number }) | undefined;
  #stats = { published: 0, received: 0, delivered: 0, replayed: 0, gaps: 0, droppedConnections: 0 };
  #observer: HubObserver | undefined;

  constructor(options: HubOptions = {}) {
    this.#options = options;
    this.#broker = options.broker ?? new MemoryBroker(options.history);
    this.#host = this.#makeHost();
    this.#startBroker(0);
  }

  /**
   * Starts the broker's feed. One that cannot start (Redis down at boot) fails each publish and
   * subscribe with its error meanwhile (503 to an HTTP caller), never crashes the process, and is
   * tried again with a growing delay (0.5 s doubling to 30 s) until it starts or the hub closes.
   */
  #startBroker(failures: number): void {
    const started = this.#broker.start(
      (entry) => this.#fanOut(entry),
      () => this.#endAll(),
    );
    if (!(started instanceof Promise)) return;
    this.#started = started;
    started.then(
      () => {
        if (failures > 0 && !this.#closed) this.#report('available');
      },
      (err: unknown) => {
        if (this.#closed) return;
        if (failures === 0) this.#report('unavailable', err);
        const delay = Math.min(30_000, 500 * 2 ** failures);
        this.#restart = setTimeout(() => this.#startBroker(failures + 1), delay);
        this.#restart.unref();
      },
    );
  }

  #report(state: 'unavailable' | 'available', err?: unknown): void {
    try {
      this.#options.onBrokerState?.(state, err);
    } catch {
      // A logging hook must not stop the retries.
    }
  }

  /** The broker behind this hub. */
  get broker(): HubBroker {
    return this.#broker;
  }

  /**
   * Publishes `event` to `topic` and resolves with the id it was given (any `id` on the event is
   * replaced). Rejects with `INVALID_EVENT` for an event that cannot go on the wire, `INVALID_TOPIC`,
   * `CLOSED`, or the broker's `BROKER_UNAVAILABLE`.
   */
  async publish(topic: string, event: MessageEvent<unknown>): Promise<string> {
    if (this.#closed) throw new HeraldError('CLOSED', 'the hub is closed');
    checkTopic(topic);
    const { id: _ignored, ...stored } = event;
    // An EventSource dispatches only events with data: one without would take an id and a place in
    // history, and reach no listener.
    if (stored.data === undefined) {
      throw new HeraldError(
        'INVALID_EVENT',
        'a published event needs data (null, "" and 0 are data)',
      );
    }
    // Serializing now validates the event before it reaches the log, and is reused for the frame.
    const body = serializeEvent(stored);
    // Not enumerable: it must not show in copies of the event handed to consumers and filters.
    Object.defineProperty(stored, BODY, { value: body, writable: true, configurable: true });
    if (this.#observer !== undefined) {
      Object.defineProperty(stored, PUBLISHED_AT, { value: performance.now() });
    }
    if (this.#started) await this.#started;
    const id = await this.#broker.append(topic, stored, Buffer.byteLength(body));
    this.#stats.published++;
    return id;
  }

  /**
   * A stream of `topics` to return from an `@Sse` handler (or consume on the server as an
   * Observable or async iterable). With `lastEventId`, it first replays what the client missed.
   */
  subscribe(topics: string | readonly string[], options: SubscribeOptions = {}): HubSubscription {
    const list = typeof topics === 'string' ? [topics] : [...new Set(topics)];
    if (list.length === 0)
      throw new HeraldError('INVALID_TOPIC', 'subscribe needs at least one topic');
    for (const topic of list) checkTopic(topic);
    return new HubSubscription(this.#host, list, options);
  }

  /**
   * Sets the one observer told of every entry after its fan-out (metrics); `undefined` removes it.
   * Without one, the fan-out path pays a single field read per entry.
   */
  observe(observer: HubObserver | undefined): void {
    this.#observer = observer;
  }

  /** Counters and subscribers per topic. */
  stats(): HubStats {
    const runs = this.#runs?.() ?? { active: 0, retained: 0 };
    return {
      topics: this.#topics.counts(),
      subscribers: this.#topics.subscribers,
      ...this.#stats,
      runs,
    };
  }

  /** @internal `Runs` made on this hub report their counts through `stats()`. */
  countRuns(counter: () => { active: number; retained: number }): void {
    this.#runs = counter;
  }

  /**
   * Ends every subscription (connections end cleanly, so their clients reconnect elsewhere with
   * their Last-Event-ID; server-side consumers complete) and stops the broker.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#restart);
    this.#endAll();
    await this.#broker.close();
  }

  /**
   * Ends every subscriber's stream. Also what a broker's lost live feed calls for: each client
   * resumes with its Last-Event-ID and is told of the gap by the normal replay, with correct ids.
   */
  #endAll(): void {
    const everyone = this.#topics.all();
    const err = this.#closed
      ? undefined
      : new HeraldError(
          'BROKER_UNAVAILABLE',
          "the broker's live feed lost events; subscribe again with the last id",
        );
    for (const subscriber of everyone) subscriber.end(err);
  }

  /** Lifecycle hook: a Hub provided through DI closes with the app. */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Settles once the broker's latest start attempt does (undefined when it started at once, as the
   * in-memory broker does). A broker that cannot start rejects it and is tried again in the
   * background; publish and subscribe wait for it meanwhile.
   */
  get ready(): Promise<void> | undefined {
    return this.#started;
  }

  /** What subscriptions need of this hub, made once (see HubHost). */
  #makeHost(): HubHost {
    const hub = this;
    return {
      get closed() {
        return hub.#closed;
      },
      get ready() {
        return hub.#started;
      },
      get authorize() {
        return hub.#options.authorize;
      },
      broker: this.#broker,
      add: (subscriber) => this.#topics.add(subscriber, this.#options.maxSubscribersPerTopic),
      remove: (subscriber, dropped) => {
        this.#topics.remove(subscriber);
        if (dropped) this.#stats.droppedConnections++;
      },
      // A live subscriber fell behind: it catches up from the log once it has room. Never from
      // inside the fan-out that found it behind (entries still waiting to be fanned out would reach
      // it twice, from the log and live): a later turn, after the replays already waiting.
      catchUp: (subscriber, after) =>
        subscriber.whenConsumerReady(() =>
          nextReplayTurn(() => replay(this.#host, subscriber, after)),
        ),
      count: (what, n = 1) => {
        this.#stats[what] += n;
      },
      // Brokers' methods may rely on `this`.
      compare: (a, b) => this.#broker.compare(a, b),
      frameOf: (entry) => this.#frameOf(entry),
    };
  }

  /** The entry's frame, encoded on first use and kept on the entry (history shares it). */
  #frameOf(entry: BrokerEntry): Frame {
    let frame = entry.frame;
    if (frame === undefined) {
      const event = entry.event as StoredEvent & { [BODY]?: string | undefined };
      const body = event[BODY] ?? serializeEvent(event);
      frame = new Frame(Buffer.from(`id: ${entry.id}\n${body}`, 'utf8'));
      entry.frame = frame;
      // The frame is the event's encoding from now on; history need not keep the text as well.
      event[BODY] = undefined;
    }
    return frame;
  }

  /** The hot path: one event, every subscriber of its topic, one shared frame. */
  #fanOut(entry: BrokerEntry): void {
    // A consumer or filter may publish while it is handed an event (the in-memory broker delivers
    // inside append): that entry waits for this one to reach every subscriber, so every subscriber
    // sees entries in id order and a resume by Last-Event-ID never sends one twice.
    if (this.#fanning) {
      this.#backlog.push(entry);
      return;
    }
    this.#fanning = true;
    try {
      this.#fanOutOne(entry);
      for (let i = 0; i < this.#backlog.length; i++) this.#fanOutOne(this.#backlog[i]!);
    } finally {
      this.#backlog.length = 0;
      this.#fanning = false;
    }
  }

  #fanOutOne(entry: BrokerEntry): void {
    // A loss marker is for replays (see BrokerEntry.gap); a feed that passes one ends its streams.
    if (entry.gap !== undefined) return;
    this.#stats.received++;
    const subscribers = this.#topics.get(entry.topic);
    let delivered = 0;
    if (subscribers !== undefined) {
      const frame = this.#frameOf(entry);
      for (const subscriber of subscribers) if (subscriber.deliver(entry, frame)) delivered++;
      this.#stats.delivered += delivered;
    }
    // Once per entry, never per subscriber: what metrics cost stays independent of the audience.
    const observer = this.#observer;
    if (observer !== undefined) {
      const event = entry.event as StoredEvent & { [PUBLISHED_AT]?: number };
      observer.fannedOut(entry, delivered, event[PUBLISHED_AT]);
    }
  }
}

function checkTopic(topic: unknown): asserts topic is string {
  if (typeof topic !== 'string' || topic.length === 0 || topic.length > MAX_TOPIC_LENGTH) {
    throw new HeraldError(
      'INVALID_TOPIC',
      `a topic must be a string of 1 to ${MAX_TOPIC_LENGTH} characters`,
    );
  }
}
