import type { FrameSink } from '../stream/frame-source.js';
import { Frame } from '../wire/frame.js';
import type { MessageEvent, WireEvent } from '../wire/message-event.js';
import type { BrokerEntry } from './broker.js';

/** What a subscriber needs of its hub. */
export interface SubscriberHome {
  /** It ended. */
  remove(subscriber: Subscriber, dropped: boolean): void;
  /** It stopped taking live frames after `after` (its client is behind): send it the log from there. */
  catchUp(subscriber: Subscriber, after: string): void;
}

/** Where a server-side consumer's events go (a connection is written to directly instead). */
export interface SubscriberOutput {
  /** A published event; `frame` is its shared encoding. */
  entry(entry: BrokerEntry, frame: Frame): void;
  /** An event of the hub's own (the gap notice). */
  notice(event: WireEvent): void;
  error(err: unknown): void;
  /** The hub closed: no more events. */
  complete(): void;
}

/** Per-client filter, as in seed 001: return false to skip an event for this subscriber. */
export type SubscriberFilter = (event: MessageEvent<unknown>, topic: string) => boolean;

/**
 * One consumer of one or more topics, and the producer its connection cancels. Live entries that
 * arrive while its replay is being read are held, then sent after the replay without the ones it
 * already covered, so a resume has no gap and no duplicate however the two interleave.
 *
 * A connection-backed subscriber writes frames straight into the connection: no adapter objects or
 * closures per client, since an idle subscriber's size is multiplied by every connection.
 */
export class Subscriber {
  readonly topics: readonly string[];
  /** Settles when the stream may start (authorization, an async replay read); see AttachedProducer. */
  ready?: Promise<void>;
  #home: SubscriberHome;
  #sink: FrameSink | null;
  #output: SubscriberOutput | null;
  #filter: SubscriberFilter | undefined;
  #live = false;
  /** While a replay is paced from the log, live entries are left to the log's next read. */
  #dropping = false;
  #closed = false;
  #held: BrokerEntry[] | null = null;
  /** With a sharded broker (`HubBroker.advance`): the client's position, sent as its event ids. */
  #token: string | undefined;
  #advance: ((token: string | undefined, entry: BrokerEntry) => string) | undefined;

  constructor(
    home: SubscriberHome,
    topics: readonly string[],
    target: { sink: FrameSink } | { output: SubscriberOutput },
    filter: SubscriberFilter | undefined,
  ) {
    this.#home = home;
    this.topics = topics;
    this.#sink = 'sink' in target ? target.sink : null;
    this.#output = 'output' in target ? target.output : null;
    this.#filter = filter;
  }

  /** Tracks the client's position with `advance` from `token` (a sharded broker's; see HubBroker). */
  track(token: string | undefined, advance: (token: string | undefined, e: BrokerEntry) => string) {
    this.#token = token;
    this.#advance = advance;
  }

  /** Sets the client's position (a sharded broker's token, after a gap notice naming it). */
  moveTo(token: string): void {
    if (this.#advance !== undefined) this.#token = token;
  }

  /** The client's position once it has `entry`: its id, or the broker's token (see `track`). */
  passed(entry: BrokerEntry): string {
    if (this.#advance === undefined) return entry.id;
    this.#token = this.#advance(this.#token, entry);
    return this.#token;
  }

  /** True while the consumer can take more (a connection's backpressure). */
  get consumerReady(): boolean {
    return this.#sink === null || this.#sink.ready;
  }

  /** Calls `fn` when the consumer can take more. */
  whenConsumerReady(fn: () => void): void {
    if (this.#sink === null) fn();
    else this.#sink.whenReady(fn);
  }

  /** Ends the consumer's stream with `err` and leaves the hub. */
  fail(err: unknown): void {
    if (this.#closed) return;
    const sink = this.#sink;
    const output = this.#output;
    this.cancel();
    if (sink !== null) sink.error(err);
    else output!.error(err);
  }

  /**
   * Ends the consumer's stream from the hub's side (the hub closed, or its feed lost events). A
   * connection ends cleanly, so its client reconnects with its Last-Event-ID and resumes, or gets
   * a gap notice, wherever it lands; a server-side consumer completes, or errors with `err`.
   */
  end(err?: unknown): void {
    if (this.#closed) return;
    const sink = this.#sink;
    const output = this.#output;
    this.cancel();
    if (sink !== null) sink.complete();
    else if (err !== undefined) output!.error(err);
    else output!.complete();
  }

  /** Producer contract: the consumer went away. */
  cancel(): void {
    if (this.#closed) return;
    this.close();
    this.#home.remove(this, this.#sink?.closeReason === 'slow-consumer');
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Fan-out: one call per subscriber per event; no allocation unless a filter needs the event. */
  deliver(entry: BrokerEntry, frame: Frame): boolean {
    if (!this.#live) {
      if (!this.#closed && !this.#dropping) {
        this.#held ??= [];
        this.#held.push(entry);
      }
      return false;
    }
    if (this.#filter !== undefined && !this.#accepts(entry)) return false;
    return this.#send(entry, frame);
  }

  /** Sends one replayed entry (the caller keeps order and skips other topics). */
  replay(entry: BrokerEntry, frame: Frame): boolean {
    if (this.#closed) return false;
    if (this.#filter !== undefined && !this.#accepts(entry)) return false;
    return this.#send(entry, frame);
  }

  #send(entry: BrokerEntry, frame: Frame): boolean {
    if (this.#advance !== undefined) {
      // A client of several shards gets its vector position as the id (the frame's first line).
      const id = this.passed(entry);
      if (id !== entry.id) frame = frameWithId(entry, frame, id);
    }
    if (this.#sink !== null) {
      const room = this.#sink.sendFrame(frame);
      // A run's terminal event is the last its followers get: the stream ends after it.
      if (entry.final === true) this.end();
      // The client has its cap waiting: rather than queue more (and be cut as a slow
      // consumer), leave live events to the log and catch up from it at the client's pace.
      else if (!room && this.#live) this.#fallBehind(this.#token ?? entry.id);
      return true;
    }
    // A server-side consumer's own code runs here: if it throws, only its subscription ends.
    try {
      this.#output!.entry(entry, frame);
      if (entry.final === true) this.end();
      return true;
    } catch (err) {
      this.fail(err);
      return false;
    }
  }

  /**
   * While a replay is sent at the client's pace, live entries are not held: they are in the log,
   * and the replay reads the log again when it catches up. A client that stops reading mid-replay
   * therefore holds nothing of the hub's memory; one that falls out of history gets a gap notice.
   */
  pace(): void {
    this.#dropping = true;
    this.#held = null;
  }

  #fallBehind(after: string): void {
    this.#live = false;
    this.#dropping = true;
    this.#held = null;
    this.#home.catchUp(this, after);
  }

  /**
   * Gives a client that has no id yet the log position it starts from (an `id:` field with no data
   * sets `lastEventId` without dispatching an event, HTML 9.2.6), so that if it drops before its
   * first event it resumes from here instead of losing what was published meanwhile.
   */
  position(id: string): void {
    if (this.#closed || this.#sink === null) return;
    this.#sink.send({ id });
  }

  /** Holds live entries again, for the short read that decides whether the replay caught up. */
  hold(): void {
    this.#dropping = false;
  }

  /** The user's filter; one that throws ends only this subscriber's stream, with the error. */
  #accepts(entry: BrokerEntry): boolean {
    try {
      return this.#filter!(eventOf(entry), entry.topic);
    } catch (err) {
      this.fail(err);
      return false;
    }
  }

  /**
   * Ends the replay: sends what was held meanwhile, except entries up to `after` (the replay
   * covered them), then delivers live.
   */
  goLive(
    after: string | undefined,
    compare: (a: string, b: string) => number,
    frameOf: (e: BrokerEntry) => Frame,
  ): void {
    if (this.#closed) return;
    this.#dropping = false;
    if (this.#advance !== undefined && after !== undefined) this.#token = after;
    // Still not live while the held entries go out: anything published meanwhile (by a consumer)
    // joins the end of the held list instead of overtaking it.
    for (let held = this.#held; held !== null; held = this.#held) {
      this.#held = null;
      for (const entry of held) {
        if (this.#closed) return;
        if (after !== undefined && compare(entry.id, after) <= 0) continue;
        if (this.#filter !== undefined && !this.#accepts(entry)) continue;
        this.#send(entry, frameOf(entry));
      }
    }
    this.#live = true;
  }

  notice(event: WireEvent): void {
    if (this.#closed) return;
    if (this.#sink !== null) {
      this.#sink.send(event);
      return;
    }
    try {
      this.#output!.notice(event);
    } catch (err) {
      this.fail(err);
    }
  }

  close(): void {
    this.#closed = true;
    this.#live = false;
    this.#held = null;
  }
}

const ID_FRAME = Symbol('herald.idFrame');

/**
 * The entry's frame with its id line saying `id`, made once per entry and id: subscribers of the
 * same topics that are live together share one position, so they share one frame (the last one
 * made is kept on the entry), instead of one copy per subscriber.
 */
function frameWithId(entry: BrokerEntry, frame: Frame, id: string): Frame {
  const kept = (entry as { [ID_FRAME]?: { id: string; frame: Frame } })[ID_FRAME];
  if (kept !== undefined && kept.id === id) return kept.frame;
  const made = new Frame(withId(frame.bytes, entry.id, id));
  (entry as { [ID_FRAME]?: { id: string; frame: Frame } })[ID_FRAME] = { id, frame: made };
  return made;
}

/** A frame's bytes (`id: <id>\n...`, see Hub.frameOf) with the id line saying `id` instead. */
function withId(bytes: Buffer, entryId: string, id: string): Buffer {
  const rest = bytes.subarray(4 + Buffer.byteLength(entryId) + 1);
  return Buffer.concat([Buffer.from(`id: ${id}\n`, 'utf8'), rest]);
}

const WITH_ID = Symbol('herald.eventWithId');

/** The event with its id, made once per entry and shared by every filter that asks. */
export function eventOf(entry: BrokerEntry): MessageEvent<unknown> {
  const cached = (entry as { [WITH_ID]?: MessageEvent<unknown> })[WITH_ID];
  if (cached !== undefined) return cached;
  const event = { ...entry.event, id: entry.id } as MessageEvent<unknown>;
  Object.defineProperty(entry, WITH_ID, { value: event });
  return event;
}
