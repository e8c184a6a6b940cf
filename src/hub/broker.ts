import type { MessageEvent } from '../wire/message-event.js';
import type { Frame } from '../wire/frame.js';
import type { RunStore } from './runs/run-store.js';

/** A published event as the hub stores it: everything but the id, which the broker assigns. */
export type StoredEvent = Omit<MessageEvent<unknown>, 'id'>;

/** One entry of the event log. */
export interface BrokerEntry {
  /** Assigned by the broker; opaque to clients, ordered by `broker.compare`. */
  readonly id: string;
  readonly topic: string;
  readonly event: StoredEvent;
  /** @internal The hub's encoded frame for this entry, cached for every later delivery and replay. */
  frame?: Frame;
  /** @internal A run's terminal entry: a subscriber's stream ends once it has sent it. */
  final?: boolean;
  /**
   * Set on a loss marker, not an event (its topic is `''`, no subscriber's): the log lost entries
   * before it (a Redis failover lost entries it had acknowledged). A subscriber whose position is
   * below this id when it passes the marker in a replay may have missed some: it is sent a
   * `herald:gap` notice (`reason: 'lost'`) there and the replay goes on after the marker. The hub
   * fans no marker out: a broker whose feed passes one it had not delivered past calls `lost`.
   */
  gap?: string;
}

/** What a broker answers to "everything after this id". */
export type ReplayResult =
  /** The id is covered: `entries` are every retained entry after it, oldest first (all topics). */
  | { readonly kind: 'ok'; readonly entries: readonly BrokerEntry[] }
  /**
   * The id is not covered: older than the retained history (events were lost to trimming), from
   * another epoch (an in-memory hub that restarted), or unknown. `oldestId` is the oldest retained id
   * (null when nothing is retained); `headId` the newest id handed out, even when its entry is gone,
   * so that a client resuming from the gap notice's id misses nothing published after it (null only
   * when the broker cannot name one: the client then resumes live only).
   */
  | {
      readonly kind: 'gap';
      readonly oldestId: string | null;
      readonly headId: string | null;
      /**
       * `headId` moved the client past the gap only where history failed it, and kept its position
       * elsewhere (a sharded broker: only the shards that lost entries jump to their head): the
       * replay reads on after it rather than going live there.
       */
      readonly readOn?: boolean;
    };

/** Failures a broker has met since it was made, by what it was doing. */
export interface BrokerStats {
  errors: {
    /** Publishes the broker could not append (each rejected with `BROKER_UNAVAILABLE`). */
    append: number;
    /** Replay reads that failed (each refused a resume with `BROKER_UNAVAILABLE`). */
    replay: number;
    /** Failed reads of the live feed (each followed by a reconnect and a resync). */
    feed: number;
  };
  /**
   * Publishes the broker acknowledged that its store then lost (a Redis failover before the
   * replica had them), each announced to clients as a `herald:gap` (`reason: 'lost'`).
   */
  lost?: number;
}

/**
 * The event log behind a Hub. The in-memory broker is the embedded default; `herald/redis` provides
 * one on Redis Streams so that many processes share one log.
 *
 * Contract:
 * - `append` assigns ids that are strictly increasing (by `compare`) across all topics.
 *   A broker with `scope` (sharded) orders ids within a shard only; its subscribers' positions
 *   are tokens (see `scope` and `advance`), and "in id order" below means per shard.
 * - After `start(deliver)`, every entry appended by anyone (this process or another) is passed to
 *   `deliver` exactly once, in id order. Entries appended before `start` are not delivered. Loss
 *   markers (`BrokerEntry.gap`) are log entries too: delivered and replayed in their place.
 * - `readAfter(id)` answers from retained history; it may run while `deliver` is called for newer
 *   entries (the hub de-duplicates by id). A replay may be read ahead of this process's live feed
 *   (another connection, another process's appends): the broker resolves it only once its feed has
 *   delivered up to the replay's last id, so nothing the replay covered is delivered live again.
 */
export interface HubBroker {
  /**
   * Begins the live feed. Called once by the hub. A broker whose feed certainly skipped entries
   * (e.g. trimmed past what a cut-off process had read), or passed a loss marker above what it had
   * delivered, calls `lost`, so the hub ends its subscribers' streams: each resumes by its
   * Last-Event-ID and is told of the gap, with correct ids.
   */
  start(
    deliver: (entry: BrokerEntry) => void,
    lost?: (info: { reason: string; lastId: string }) => void,
  ): void | Promise<void>;
  /**
   * Appends an event to `topic`'s log and resolves with its id. Rejects with `BROKER_UNAVAILABLE`.
   * `size` is the event's encoded size in bytes, for brokers that bound history by bytes.
   */
  append(topic: string, event: StoredEvent, size?: number): string | Promise<string>;
  /**
   * The newest id this process's feed has delivered (or started at): a subscriber that goes live
   * now is sent every entry after it. Given to clients with no id yet as their starting position.
   */
  head?(): string | undefined;
  /**
   * Retained entries after `id` (exclusive), oldest first, or a gap. With `limit`, a broker may
   * answer with only the first `limit` entries (the hub reads again after them); fewer than
   * everything is not a gap.
   */
  readAfter(id: string, limit?: number): ReplayResult | Promise<ReplayResult>;
  /** Every retained entry, oldest first (for subscribers that ask for the whole history). */
  readAll(): readonly BrokerEntry[] | Promise<readonly BrokerEntry[]>;
  /**
   * Orders two ids of this broker: negative if a < b, 0 if equal, positive if a > b. With `scope`,
   * `compare(entry.id, token) <= 0` means the subscriber position `token` covers the entry.
   */
  compare(a: string, b: string): number;
  /**
   * Wall-clock time (ms since the epoch) at which the broker appended `id`, when its ids carry it
   * (Redis stream ids do); metrics measure the feed's lag from it.
   */
  appendedAt?(id: string): number | undefined;
  /** Counters for metrics, for brokers that can fail (a network broker). */
  stats?(): BrokerStats;
  /**
   * For brokers whose ids are ordered per shard, not across topics (a sharded RedisBroker): the
   * position a subscriber to `topics` resumes from, given its client's id (undefined: where it
   * goes live now). The hub then reads with it, and sends each subscriber the id `advance` makes.
   */
  scope?(topics: readonly string[], id: string | undefined): string | undefined;
  /**
   * With `scope`: the subscriber's position after `entry`, sent as the event's id. When it is
   * `entry.id` the shared frame goes out as it is; otherwise the frame's id line is replaced.
   */
  advance?(token: string | undefined, entry: BrokerEntry): string;
  /** Stops the feed and releases connections. */
  close(): void | Promise<void>;
  /**
   * Where `Runs` keep resumable runs when this broker backs the hub (claims, per-run logs,
   * cancellation across processes). Brokers without it get the in-memory store: one process.
   */
  runStore?(): RunStore;
}
