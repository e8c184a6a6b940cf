import type { Frame } from '../wire/frame.js';
import type { MessageEvent, WireEvent } from '../wire/message-event.js';
import type { BrokerEntry } from './broker.js';

/** Where a subscriber's events go: a connection (frames) or a server-side consumer (events). */
export interface SubscriberOutput {
  /** A published event; `frame` is its shared encoding. */
  entry(entry: BrokerEntry, frame: Frame): void;
  /** An event of the hub's own (the gap notice). */
  notice(event: WireEvent): void;
}

/** Per-client filter, as in seed 001: return false to skip an event for this subscriber. */
export type SubscriberFilter = (event: MessageEvent<unknown>, topic: string) => boolean;

/**
 * One consumer of one or more topics. Live entries that arrive while its replay is being read are
 * held, then sent after the replay without the ones it already covered, so a resume has no gap and
 * no duplicate however the two interleave.
 */
export class Subscriber {
  readonly topics: readonly string[];
  #output: SubscriberOutput;
  #filter: SubscriberFilter | undefined;
  #live = false;
  #closed = false;
  #held: BrokerEntry[] = [];

  constructor(topics: readonly string[], output: SubscriberOutput, filter: SubscriberFilter | undefined) {
    this.topics = topics;
    this.#output = output;
    this.#filter = filter;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Fan-out: one call per subscriber per event; no allocation unless a filter needs the event. */
  deliver(entry: BrokerEntry, frame: Frame): boolean {
    if (!this.#live) {
      if (!this.#closed) this.#held.push(entry);
      return false;
    }
    if (this.#filter !== undefined && !this.#filter(eventOf(entry), entry.topic)) return false;
    this.#output.entry(entry, frame);
    return true;
  }

  /** Sends one replayed entry (the caller keeps order and skips other topics). */
  replay(entry: BrokerEntry, frame: Frame): boolean {
    if (this.#closed) return false;
    if (this.#filter !== undefined && !this.#filter(eventOf(entry), entry.topic)) return false;
    this.#output.entry(entry, frame);
    return true;
  }

  /**
   * Ends the replay: sends what was held meanwhile, except entries up to `after` (the replay
   * covered them), then delivers live.
   */
  goLive(after: string | undefined, compare: (a: string, b: string) => number, frameOf: (e: BrokerEntry) => Frame): void {
    if (this.#closed) return;
    const held = this.#held;
    this.#held = [];
    this.#live = true;
    for (const entry of held) {
      if (after === undefined || compare(entry.id, after) > 0) this.deliver(entry, frameOf(entry));
    }
  }

  notice(event: WireEvent): void {
    if (!this.#closed) this.#output.notice(event);
  }

  close(): void {
    this.#closed = true;
    this.#live = false;
    this.#held = [];
  }
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
