import type { Frame } from '../wire/frame.js';
import type { BrokerEntry, HubBroker, ReplayResult } from './broker.js';
import { nextReplayTurn, spendReplayBudget } from './replay-budget.js';
import type { Subscriber } from './subscriber.js';

/**
 * The event type of the notice sent when history no longer covers a client's Last-Event-ID, or
 * where the log lost entries the client could have had (`reason: 'lost'`).
 */
export const GAP_EVENT = 'herald:gap';

// A replay reads the log a page at a time: a client that stops reading mid-replay then keeps at
// most one page of entries alive, not a whole history's worth after the log has moved on.
export const REPLAY_PAGE = 256;

/** What a replay needs of its hub. */
export interface ReplayHost {
  readonly broker: HubBroker;
  compare(a: string, b: string): number;
  frameOf(entry: BrokerEntry): Frame;
  count(what: 'delivered' | 'replayed' | 'gaps', n?: number): void;
}

/**
 * Sends `subscriber` the log after `after` at the pace its consumer takes it, then makes it live.
 * Used for a resume by Last-Event-ID and for a live subscriber that fell behind (it stopped taking
 * live frames; the log has them). `first` is an answer already read (a resume's first page).
 *
 * A loop, not recursion: however many pages a replay spans, the stack stays flat. Every entry
 * looked at is taken from the process's per-turn replay budget, so a storm of resumes yields the
 * event loop between turns.
 */
export function replay(
  host: ReplayHost,
  subscriber: Subscriber,
  after: string | undefined,
  first?: ReplayResult,
): void {
  new Replay(host, subscriber, after).start(first);
}

class Replay {
  #host: ReplayHost;
  #subscriber: Subscriber;
  /** The id of the last entry looked at (sent or skipped), or the client's own. */
  #last: string | undefined;
  #entries: readonly BrokerEntry[] = [];
  #i = 0;
  /** The client was sent a gap notice and no event since: another notice would tell it nothing. */
  #told = false;
  /** Loss markers passed since the last event sent: one notice, sent before the next event. */
  #lost: ReturnType<typeof gapNotice> | undefined;

  constructor(host: ReplayHost, subscriber: Subscriber, after: string | undefined) {
    this.#host = host;
    this.#subscriber = subscriber;
    this.#last = after;
  }

  start(first: ReplayResult | undefined): void {
    if (first === undefined || this.#take(first)) this.run();
  }

  /** Sends what is left of the page, reads the next, until caught up; stops while it must wait. */
  run = (): void => {
    const subscriber = this.#subscriber;
    for (;;) {
      if (subscriber.closed) return;
      if (this.#i < this.#entries.length) {
        // Live entries are not held while log is sent: the next read finds them.
        subscriber.pace();
        if (!this.#send()) return;
      }
      // Hold live entries again for the read that decides whether the replay caught up.
      subscriber.hold();
      const last = this.#last;
      if (last === undefined) {
        this.#live(undefined);
        return;
      }
      const more = this.#host.broker.readAfter(last, REPLAY_PAGE);
      if (more instanceof Promise) {
        // A failed read, or a consumer throwing in what it sends, ends this subscriber only.
        more
          .then((result) => {
            if (this.#take(result)) this.run();
          })
          .catch((err: unknown) => subscriber.fail(err));
        return;
      }
      if (!this.#take(more)) return;
    }
  };

  /** Takes a read's answer; false when the replay is over (caught up, or a gap). */
  #take(result: ReplayResult): boolean {
    const subscriber = this.#subscriber;
    if (subscriber.closed) return false;
    if (result.kind === 'gap') {
      // The log dropped entries this client had not read: it fell out of the history window.
      const head = result.headId;
      if (result.readOn === true && head !== null && head !== this.#last) {
        // Past the gap where history failed, at its position elsewhere: what follows is read on.
        this.#tell(gapNotice(this.#last, result.oldestId, head));
        this.#last = head;
        subscriber.moveTo(head);
        this.#entries = [];
        this.#i = 0;
        return true;
      }
      // Live from the head; from the broker's own head when a position it named made no progress.
      const { broker } = this.#host;
      const live =
        result.readOn === true
          ? (broker.scope?.(subscriber.topics, undefined) ?? broker.head?.() ?? head)
          : head;
      // Told again when it goes live elsewhere than a notice said: the id must not skip silently.
      this.#tell(gapNotice(this.#last, result.oldestId, live), live !== this.#last);
      this.#live(live ?? undefined);
      return false;
    }
    if (result.entries.length === 0) {
      // Caught up: what was held during this last read goes out, then live events.
      this.#live(this.#last);
      return false;
    }
    this.#entries = result.entries;
    this.#i = 0;
    return true;
  }

  /** Sends entries while the consumer has room and the turn has budget; false when it must wait. */
  #send(): boolean {
    const host = this.#host;
    const subscriber = this.#subscriber;
    const topics = subscriber.topics;
    const entries = this.#entries;
    let sent = 0;
    let waiting = false;
    while (this.#i < entries.length) {
      if (subscriber.closed) break;
      if (!subscriber.consumerReady) {
        subscriber.whenConsumerReady(this.run);
        waiting = true;
        break;
      }
      if (!spendReplayBudget()) {
        nextReplayTurn(this.run);
        waiting = true;
        break;
      }
      const entry = entries[this.#i++]!;
      const before = this.#last;
      if (entry.gap !== undefined) {
        this.#last = subscriber.passed(entry);
        // A loss marker: a client whose position is below it may have missed what the log lost.
        if (before === undefined || host.compare(entry.gap, before) > 0)
          this.#lost ??= gapNotice(before, null, null, 'lost');
        continue;
      }
      const mine = topics.includes(entry.topic);
      if (mine) this.#tellLost();
      this.#last = subscriber.passed(entry);
      if (mine && subscriber.replay(entry, host.frameOf(entry))) {
        sent++;
        this.#told = false;
      }
    }
    this.#tellLost();
    host.count('replayed', sent);
    host.count('delivered', sent);
    return !waiting && !subscriber.closed;
  }

  /** The notice for the loss markers passed, with the client's position now as its id. */
  #tellLost(): void {
    const notice = this.#lost;
    if (notice === undefined) return;
    this.#lost = undefined;
    notice.id = this.#last ?? '';
    this.#tell(notice);
  }

  /** Sends a gap notice, unless the client was sent one and no event since (and not `again`). */
  #tell(notice: ReturnType<typeof gapNotice>, again = false): void {
    if (this.#told && !again) return;
    this.#told = true;
    this.#host.count('gaps');
    this.#subscriber.notice(notice);
  }

  #live(after: string | undefined): void {
    const host = this.#host;
    this.#entries = [];
    this.#subscriber.goLive(after, host.compare, host.frameOf);
  }
}

/** The data of a `herald:gap` notice. */
export interface GapNoticeData {
  /** The client's position when the gap was found (null: it had none). */
  lastEventId: string | null;
  /** The oldest id the log still holds (null when unknown or nothing is retained). */
  oldestId: string | null;
  /**
   * Only on a notice for entries the log lost (`'lost'`): a Redis failover lost events it had
   * acknowledged. The stream goes on after the loss. Other notices mean the client's id fell out
   * of history: the stream goes on from the head (in the shards that lost it, for a client of
   * several shards of a sharded log).
   */
  reason?: 'lost';
}

/** The notice for a Last-Event-ID the history no longer covers, or for entries the log lost. */
export function gapNotice(
  lastEventId: string | undefined,
  oldestId: string | null,
  headId: string | null,
  reason?: 'lost',
): { type: string; data: GapNoticeData; id: string } {
  const data: GapNoticeData = { lastEventId: lastEventId ?? null, oldestId };
  if (reason !== undefined) data.reason = reason;
  return {
    type: GAP_EVENT,
    data,
    // Moves the client's Last-Event-ID to now, so its next reconnect does not report this gap again.
    id: headId ?? '',
  };
}
