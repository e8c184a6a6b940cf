import type { ReplayHost } from './replay.js';
import type { Subscriber, SubscriberHome } from './subscriber.js';

/**
 * What a subscription and its subscribers need of their hub: one object per hub, made by the hub,
 * so the Hub's public surface holds none of it and subscriptions never import the Hub.
 */
export interface HubHost extends ReplayHost, SubscriberHome {
  /** True once the hub is closed. */
  readonly closed: boolean;
  /** Settles once the broker has started (undefined when it started synchronously). */
  readonly ready: Promise<void> | undefined;
  /** The hub's `authorize` hook, if any. */
  readonly authorize: ((topic: string, context: unknown) => boolean | Promise<boolean>) | undefined;
  /** Adds `subscriber` to its topics (throws TOPIC_FULL past the per-topic cap). */
  add(subscriber: Subscriber): void;
}
