import { HeraldError } from '../errors.js';
import type { Subscriber } from './subscriber.js';

/** The subscribers of each topic, and how many distinct subscribers there are. */
export class TopicRegistry {
  #topics = new Map<string, Set<Subscriber>>();
  #subscribers = 0;

  /** Subscribers now (one subscribed to three topics counts once). */
  get subscribers(): number {
    return this.#subscribers;
  }

  /** The subscribers of `topic`, if it has any. */
  get(topic: string): Set<Subscriber> | undefined {
    return this.#topics.get(topic);
  }

  /** Every subscriber, once. */
  all(): Set<Subscriber> {
    const everyone = new Set<Subscriber>();
    for (const set of this.#topics.values()) for (const s of set) everyone.add(s);
    return everyone;
  }

  /** Subscribers per topic. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [topic, set] of this.#topics) out[topic] = set.size;
    return out;
  }

  /** Adds `subscriber` to its topics; throws TOPIC_FULL when one already has `cap` subscribers. */
  add(subscriber: Subscriber, cap: number | undefined): void {
    if (cap !== undefined) {
      for (const topic of subscriber.topics) {
        if ((this.#topics.get(topic)?.size ?? 0) >= cap) {
          throw new HeraldError(
            'TOPIC_FULL',
            `topic "${topic}" has ${cap} subscribers, the most allowed`,
          );
        }
      }
    }
    this.#subscribers++;
    for (const topic of subscriber.topics) {
      let set = this.#topics.get(topic);
      if (set === undefined) {
        set = new Set();
        this.#topics.set(topic, set);
      }
      set.add(subscriber);
    }
  }

  /** Removes `subscriber` from its topics (a no-op when it was not added). */
  remove(subscriber: Subscriber): void {
    let removed = false;
    for (const topic of subscriber.topics) {
      const set = this.#topics.get(topic);
      if (set?.delete(subscriber)) {
        removed = true;
        if (set.size === 0) this.#topics.delete(topic);
      }
    }
    if (removed) this.#subscribers--;
  }
}
