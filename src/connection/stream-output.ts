import type { ServerResponse } from 'node:http';
import { HeraldError } from '../errors.js';
import { type Flushable, scheduleFlush } from './flush-scheduler.js';
import type { ResolvedSseOptions } from './resolve-sse-options.js';
import { joinStallWatch, leaveStallWatch, type Stalling } from './stall-watch.js';
import { reportError } from './stream-errors.js';
import type { HeadRequest } from './sse-head.js';
import {
  createTransport,
  type Transport,
  type TransportFactory,
  type TransportOwner,
} from './transport.js';

// Pull-based sources (iterables, ReadableStreams) are not pulled while this many bytes wait to be
// sent: small enough to keep memory flat, big enough to fill a socket send buffer.
const READY_BYTES = 64 * 1024;
// A push source (that cannot be paused) is cut at once when this many times the cap already waits
// for the client: within one stall period a runaway producer must not hold unbounded memory.
const HARD_CAP_FACTOR = 4;

/** A stream's state: before its head, between its head and its end, ended. */
export type StreamState = 'pending' | 'open' | 'closed';

/**
 * The write side of one client's stream: what it gathers in an event-loop turn and hands to its
 * transport in one flush, the cap and the slow-consumer rule (the stall watch, the 4 x hard bound),
 * and the pacing of pull sources. `SseConnection` adds the stream's life on top: one object per
 * client either way, so the split costs neither memory nor a call on the fan-out path.
 */
export abstract class StreamOutput implements Flushable, Stalling, TransportOwner {
  /** Heartbeat bookkeeping (see heartbeat.ts). */
  wroteSinceBeat = false;
  protected readonly transport: Transport;
  protected readonly options: ResolvedSseOptions;
  /** Set by the stream's life; only an open stream queues or writes. */
  protected state: StreamState = 'pending';
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Bytes the transport still held after the last flush (the kernel had not taken them). */
  #unsentAtFlush = 0;
  /** The cap: where a Hub subscriber stops taking live frames (it resumes once `ready`). */
  #liveLimit: number;
  /** Set while over the cap and in the stall watch: the unsent bytes at the last progress, and when. */
  #stallBytes = -1;
  #stallSince = 0;
  #dirty = false;
  #waiters: Array<() => void> | null = null;

  constructor(
    request: HeadRequest,
    response: ServerResponse | TransportFactory,
    options: ResolvedSseOptions,
  ) {
    this.transport =
      typeof response === 'function' ? response(this) : createTransport(request, response, this);
    this.options = options;
    this.#liveLimit = options.maxPendingBytes;
  }

  /** The stream ends now, for `reason` (the life decides what that means). */
  protected abstract teardown(reason: 'slow-consumer'): void;

  /** @internal The response closed before the stream ended it: the client left. */
  abstract clientLeft(): void;

  /** Bytes queued or waiting in the transport (only an open stream has any). */
  protected get unsentBytes(): number {
    return this.state === 'open' ? this.#pendingBytes + this.transport.waiting : 0;
  }

  /**
   * Queues `buf` for this turn's flush. Returns false once the client has the cap waiting: field
   * reads only, as this runs once per delivery on the fan-out path.
   */
  protected enqueue(buf: Buffer): boolean {
    // Only what waited before this frame counts against the hard bound: one event of any size is
    // sent, alone, to a client with room for it.
    const before = this.#pendingBytes + this.#unsentAtFlush;
    this.#pending.push(buf);
    this.#pendingBytes += buf.length;
    this.wroteSinceBeat = true;
    if (!this.#dirty) {
      this.#dirty = true;
      scheduleFlush(this);
    }
    if (before > HARD_CAP_FACTOR * this.#liveLimit) this.#slowConsumer();
    return this.#pendingBytes + this.#unsentAtFlush < this.#liveLimit;
  }

  /** Hands what is queued to the transport now (a graceful end, before the response ends). */
  protected writeQueued(): void {
    if (this.#pending.length === 0) return;
    const pending = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.transport.write(pending);
  }

  /** The stream ended: drop what is queued, leave the stall watch, wake waiting pull loops. */
  protected stopOutput(): void {
    this.#pending = [];
    this.#pendingBytes = 0;
    if (this.#stallBytes >= 0) leaveStallWatch(this, this.options.maxStallMs);
    this.wake();
  }

  /**
   * @internal Writes everything queued this turn (called by the flush scheduler). A burst larger
   * than the cap is not a slow consumer by itself: the client is only judged by the stall watch,
   * on whether what waits for it goes down.
   */
  flush(): void {
    this.#dirty = false;
    if (this.state !== 'open' || this.#pending.length === 0) return;
    this.writeQueued();
    const unsent = this.transport.waiting;
    this.#unsentAtFlush = unsent;
    if (unsent > this.#liveLimit && this.#stallBytes < 0) {
      this.#stallBytes = unsent;
      this.#stallSince = Date.now();
      joinStallWatch(this, this.options.maxStallMs);
    }
    if (this.#waiters !== null) this.#wakeWhenDrained();
  }

  /**
   * @internal The stall watch's tick: a client over the cap stays while what waits for it goes
   * down; one whose unsent bytes have not shrunk for `maxStallMs` is a slow consumer.
   */
  checkStall(now: number): boolean {
    if (this.state !== 'open') return false;
    const unsent = this.unsentBytes;
    this.#unsentAtFlush = this.transport.waiting;
    if (unsent <= this.#liveLimit) {
      this.#stallBytes = -1;
      return false;
    }
    if (unsent < this.#stallBytes) {
      this.#stallBytes = unsent;
      this.#stallSince = now;
      return true;
    }
    if (now - this.#stallSince < this.options.maxStallMs) return true;
    this.#slowConsumer();
    return false;
  }

  /**
   * @internal False until the head is written (pull sources and replays wait for the stream to
   * start, then go at the client's pace); true once closed, so waiting loops notice and stop.
   */
  get ready(): boolean {
    if (this.state !== 'open') return this.state === 'closed';
    // Not while the transport wants a drain (it will get one). Judging by the bytes waiting alone
    // could wait for a 'drain' Node never emits: it only does after a write returned false.
    if (this.transport.needsDrain) return false;
    // Under half the cap (at most READY_BYTES), counting what already waits in the transport, so a
    // paced producer never trips even a small maxPendingBytes by itself.
    this.#unsentAtFlush = this.transport.waiting;
    return this.#pendingBytes + this.#unsentAtFlush < Math.min(READY_BYTES, this.#liveLimit / 2);
  }

  /** @internal Calls `fn` once, when `ready` (at once if it is). */
  whenReady(fn: () => void): void {
    if (this.ready) {
      fn();
      return;
    }
    this.#waiters ??= [];
    this.#waiters.push(fn);
    // Full because of the kernel's buffer rather than our queue: no flush is coming to check again.
    if (this.state === 'open' && !this.#dirty) this.#wakeWhenDrained();
  }

  /** @internal The transport's armed wake-up came (see `Transport.whenDrained`). */
  drained(): void {
    if (this.state !== 'open') return;
    this.#unsentAtFlush = this.transport.waiting;
    if (this.#waiters !== null) this.#wakeWhenDrained();
  }

  /** Pull loops waiting for room go on (or, once closed, see they were cancelled). */
  protected wake(): void {
    const waiters = this.#waiters;
    if (waiters === null) return;
    this.#waiters = null;
    for (const fn of waiters) fn();
  }

  /** Wakes waiters if there is room; else, unless this turn's flush checks again, at the drain. */
  protected wakeWhenWaited(): void {
    if (this.#waiters !== null) this.#wakeWhenDrained();
  }

  #wakeWhenDrained(): void {
    if (this.ready) this.wake();
    else if (!this.#dirty) this.transport.whenDrained();
  }

  #slowConsumer(): void {
    if (this.state === 'closed') return;
    const max = this.#liveLimit;
    const message = `closed a stream with ${this.unsentBytes} unsent bytes (maxPendingBytes ${max})`;
    reportError(this.options, new HeraldError('SLOW_CONSUMER', message));
    this.transport.destroy();
    this.teardown('slow-consumer');
  }
}
