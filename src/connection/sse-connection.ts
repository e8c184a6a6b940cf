import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { HeraldError } from '../errors.js';
import type { Producer, ProducerSink } from '../stream/producer-sink.js';
import { serializeEvent } from '../wire/encode.js';
import type { Frame } from '../wire/frame.js';
import type { WireEvent } from '../wire/message-event.js';
import { chunkOf, textToChunk, toChunk } from './chunk.js';
import { sharedJoin } from './shared-join.js';
import { type Flushable, scheduleFlush } from './flush-scheduler.js';
import { type Beating, joinHeartbeat, leaveHeartbeat } from './heartbeat.js';
import { joinStallWatch, leaveStallWatch, type Stalling } from './stall-watch.js';
import { toMessageEvent } from './item.js';
import { sseHead } from './sse-head.js';
import type { ResolvedSseOptions } from './sse-headers.js';

/** Why a connection ended. */
export type CloseReason = 'complete' | 'error' | 'client' | 'slow-consumer' | 'server';

// Pull-based sources (iterables, ReadableStreams) are not pulled while this many bytes wait to be
// sent: small enough to keep memory flat, big enough to fill a socket send buffer.
const READY_BYTES = 64 * 1024;
// A push source (that cannot be paused) is cut at once when this many times the cap already waits
// for the client: within one stall period a runaway producer must not hold unbounded memory.
const HARD_CAP_FACTOR = 4;

type Mode = 'chunked' | 'raw' | 'response';
type State = 'pending' | 'open' | 'closed';

/** Told once when a started connection closes (the SseServer's registry). */
export interface ConnectionOwner {
  connectionClosed(conn: SseConnection, reason: CloseReason): void;
}

// Per-connection listeners are shared functions that find their connection through this key, so an
// idle connection holds no closures of its own (memory per idle connection is a product figure).
const CONNECTION = Symbol('herald.connection');
type Tagged = { [CONNECTION]?: SseConnection };
const NONE: readonly never[] = [];
const EMPTY = Buffer.alloc(0);

/**
 * One client's event stream. It owns the response once started: headers, heartbeat, coalesced
 * writes, backpressure and close. Frames are queued and written once per event-loop turn; on an
 * HTTP/1.x socket they go straight to the socket (one `write`, or one corked `writev`), bypassing the
 * response object's per-write overhead, and framed as chunks where the response is chunked.
 */
export class SseConnection implements ProducerSink, Beating, Flushable, Stalling {
  /** The request that opened the stream. */
  readonly request: IncomingMessage;
  /** Heartbeat bookkeeping (see heartbeat.ts). */
  wroteSinceBeat = false;

  #res: ServerResponse;
  #options: ResolvedSseOptions;
  #owner: ConnectionOwner | undefined;
  #mode: Mode = 'response';
  #socket: Socket | null = null;
  #state: State = 'pending';
  /** Frames yielded while being subscribed, before the head is written (rarely any). */
  #early: Buffer[] | null = null;
  #earlyError: { error: unknown } | undefined;
  #completeOnStart = false;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Bytes the socket still held after the last flush (the kernel had not taken them). */
  #unsentAtFlush = 0;
  /** min(READY_BYTES, cap / 2): where a paced producer waits. */
  #soft: number;
  /** The cap: where a Hub subscriber stops taking live frames (it resumes under `#soft`). */
  #liveLimit: number;
  /** Set while over the cap and in the stall watch: the unsent bytes at the last progress, and when. */
  #stallBytes = -1;
  #stallSince = 0;
  #dirty = false;
  #producer: Producer | undefined;
  #waiters: Array<() => void> | null = null;
  #drainArmed = false;
  #responseFull = false;
  #closeListeners: Array<(reason: CloseReason) => void> | null = null;
  #closeReason: CloseReason | undefined;

  constructor(
    request: IncomingMessage,
    response: ServerResponse,
    options: ResolvedSseOptions,
    owner?: ConnectionOwner,
  ) {
    this.request = request;
    this.#res = response;
    this.#options = options;
    this.#owner = owner;
    this.#soft = Math.min(READY_BYTES, options.maxPendingBytes / 2);
    this.#liveLimit = options.maxPendingBytes;
  }

  /** True once the stream has ended, for whatever reason. */
  get closed(): boolean {
    return this.#state === 'closed';
  }

  /** Why the stream ended, once it has. */
  get closeReason(): CloseReason | undefined {
    return this.#closeReason;
  }

  /** Bytes accepted for this client and not yet taken by the kernel. */
  get bufferedBytes(): number {
    return this.#pendingBytes + this.#writableLength() + this.#earlyBytes();
  }

  /** Calls `listener` once when the stream ends (at once if it has). */
  onClose(listener: (reason: CloseReason) => void): void {
    if (this.#state === 'closed') listener(this.#closeReason ?? 'server');
    else {
      this.#closeListeners ??= [];
      this.#closeListeners.push(listener);
    }
  }

  /** Sends one event to this client (encoded for this connection alone). */
  send(event: WireEvent): void {
    if (this.#state === 'closed') return;
    const text = serializeEvent(event);
    if (this.#state === 'pending') this.#hold(Buffer.from(text, 'utf8'));
    else this.#enqueue(this.#mode === 'chunked' ? textToChunk(text) : Buffer.from(text, 'utf8'));
  }

  /**
   * Sends a frame encoded once for many connections (the broadcast path). Returns false once the
   * client has as much waiting as a paced producer should give it (see `ready`): a Hub subscriber
   * then stops taking live frames and catches up from the log when `whenReady` calls back.
   */
  sendFrame(frame: Frame): boolean {
    if (this.#state === 'open') {
      this.#enqueue(this.#mode === 'chunked' ? chunkOf(frame) : frame.bytes);
      // Field reads only: this runs once per delivery on the fan-out path.
      return this.#pendingBytes + this.#unsentAtFlush < this.#liveLimit;
    }
    if (this.#state === 'pending') this.#hold(frame.bytes);
    return true;
  }

  // ProducerSink ----------------------------------------------------------------------------------

  /** @internal Delivery from the producer. */
  next(item: unknown): void {
    if (this.#state === 'closed') return;
    try {
      this.send(toMessageEvent(item));
    } catch (err) {
      this.error(err);
    }
  }

  /** @internal The producer failed: tell the client with an `error` event, then end. */
  error(err: unknown): void {
    if (this.#state === 'closed') return;
    if (this.#state === 'pending') {
      this.#earlyError ??= { error: err };
      return;
    }
    this.#report(err);
    let described: { statusCode: number; message: string };
    try {
      described = this.#options.describeError(err);
    } catch {
      described = { statusCode: 500, message: 'Internal server error' };
    }
    const { statusCode, message } = described;
    this.send({ event: 'error', data: { statusCode, message } });
    this.#end('error');
  }

  /** @internal The producer ended. */
  complete(): void {
    if (this.#state === 'pending') this.#completeOnStart = true;
    else if (this.#state === 'open') this.#end('complete');
  }

  /**
   * @internal False until the head is written (pull sources and replays wait for the stream to
   * start, then go at the socket's pace); true once closed, so waiting loops notice and stop.
   */
  get ready(): boolean {
    if (this.#state === 'pending') return false;
    if (this.#state === 'closed') return true;
    // Not while the socket wants a 'drain' (it will get one), nor while this turn's queue is at
    // the limit (a flush is coming and checks again). Judging by the socket's buffered bytes alone
    // could wait for a 'drain' Node never emits: it only does after a write returned false.
    if (this.#needsDrain()) return false;
    // Under half the cap, counting what already waits in the socket, so a paced producer never
    // trips even a small maxPendingBytes by itself.
    this.#unsentAtFlush = this.#writableLength();
    return this.#pendingBytes + this.#unsentAtFlush < this.#soft;
  }

  /** @internal */
  whenReady(fn: () => void): void {
    if (this.ready) {
      fn();
      return;
    }
    this.#waiters ??= [];
    this.#waiters.push(fn);
    // Full because of the kernel's buffer rather than our queue: no flush is coming to check again,
    // so wait for the socket's drain here.
    if (this.#state === 'open' && !this.#dirty) this.#wakeWhenDrained();
  }

  // Lifecycle -------------------------------------------------------------------------------------

  /**
   * @internal Binds the running producer. If it already failed while being subscribed, nothing has
   * been written yet: the error is thrown so the caller can still answer with a status code.
   */
  attach(producer: Producer): void {
    this.#producer = producer;
    if (this.#earlyError !== undefined) {
      this.#state = 'closed';
      this.#closeReason = 'error';
      producer.cancel();
      throw this.#earlyError.error;
    }
  }

  /** @internal Writes the head and whatever the producer yielded while being subscribed. */
  start(): void {
    if (this.#state !== 'pending') return;
    const res = this.#res;
    const req = this.request;
    const head = sseHead(req, this.#options);
    res.writeHead(head.status, head.headers);
    // A HEAD, or a status that has no body (204, 304): the head is the whole answer. Writing
    // events after it would corrupt a keep-alive connection's framing.
    if (!head.body) {
      this.#state = 'closed';
      this.#closeReason = 'complete';
      this.#early = null;
      this.#producer?.cancel();
      res.end();
      // A stream that started and ended: its owner counts it and gives back its slot.
      this.#wake();
      this.#owner?.connectionClosed(this, 'complete');
      return;
    }
    res.flushHeaders();
    this.#state = 'open';
    const socket = res.socket;
    if (req.httpVersionMajor === 1 && socket) {
      this.#socket = socket;
      // Node frames HTTP/1.1 bodies as chunks unless told otherwise; HTTP/1.0 bodies end at close.
      this.#mode = (res as unknown as { chunkedEncoding?: boolean }).chunkedEncoding
        ? 'chunked'
        : 'raw';
    }
    (res as Tagged)[CONNECTION] = this;
    res.on('close', onResponseClose);
    if (socket?.destroyed) {
      this.#teardown('client');
      return;
    }
    if (this.#options.retry !== undefined) this.send({ retry: this.#options.retry });
    const early = this.#early ?? NONE;
    this.#early = null;
    for (const bytes of early) this.#enqueue(this.#mode === 'chunked' ? toChunk(bytes) : bytes);
    // What was yielded early may already have passed the cap and closed the stream.
    if (this.#state !== 'open') return;
    if (this.#options.heartbeat !== false) joinHeartbeat(this, this.#options.heartbeat);
    if (this.#completeOnStart) {
      this.#end('complete');
      return;
    }
    if (this.#waiters !== null) this.#wakeWhenDrained();
  }

  /**
   * Ends the stream from the server side. With `retry`, a `retry:` field goes first, so the client
   * reconnects at that delay (used by graceful shutdown to spread reconnects to another process).
   */
  close(options: { retry?: number } = {}): void {
    if (this.#state === 'closed') return;
    if (this.#state === 'pending') {
      this.#state = 'closed';
      this.#closeReason = 'server';
      this.#producer?.cancel();
      this.#wake();
      return;
    }
    if (options.retry !== undefined) this.send({ retry: options.retry });
    this.#end('server');
  }

  /** Ends abruptly, dropping unsent frames (the socket is destroyed). */
  destroy(): void {
    if (this.#state === 'closed') return;
    this.#res.destroy();
    this.#teardown('server');
  }

  // Writing ---------------------------------------------------------------------------------------

  /** Keeps bytes yielded before the head is written (sent, framed, by start()). */
  #hold(bytes: Buffer): void {
    this.#early ??= [];
    this.#early.push(bytes);
  }

  #enqueue(buf: Buffer): void {
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
    if (before > HARD_CAP_FACTOR * this.#options.maxPendingBytes) this.#slowConsumer();
  }

  /**
   * @internal Writes everything queued this turn (called by the flush scheduler). A burst larger
   * than the cap is not a slow consumer by itself: the client is only judged by the stall watch,
   * on whether what waits for it goes down.
   */
  flush(): void {
    this.#dirty = false;
    if (this.#state !== 'open' || this.#pending.length === 0) return;
    this.#write();
    const unsent = this.#writableLength();
    this.#unsentAtFlush = unsent;
    if (unsent > this.#options.maxPendingBytes && this.#stallBytes < 0) {
      this.#stallBytes = unsent;
      this.#stallSince = Date.now();
      joinStallWatch(this, this.#options.maxStallMs);
    }
    if (this.#waiters !== null) this.#wakeWhenDrained();
  }

  /**
   * @internal The stall watch's tick: a client over the cap stays while what waits for it goes
   * down; one whose unsent bytes have not shrunk for `maxStallMs` is a slow consumer.
   */
  checkStall(now: number): boolean {
    if (this.#state !== 'open') return false;
    const unsent = this.bufferedBytes;
    this.#unsentAtFlush = this.#writableLength();
    if (unsent <= this.#options.maxPendingBytes) {
      this.#stallBytes = -1;
      return false;
    }
    if (unsent < this.#stallBytes) {
      this.#stallBytes = unsent;
      this.#stallSince = now;
      return true;
    }
    if (now - this.#stallSince < this.#options.maxStallMs) return true;
    this.#slowConsumer();
    return false;
  }

  #write(): void {
    const pending = this.#pending;
    const socket = this.#socket;
    this.#pending = [];
    this.#pendingBytes = 0;
    if (socket === null) {
      this.#responseFull = !this.#res.write(
        pending.length === 1 ? pending[0]! : Buffer.concat(pending),
      );
    } else if (pending.length === 1) {
      socket.write(pending[0]!);
    } else {
      const shared = sharedJoin(pending);
      if (shared !== undefined) {
        socket.write(shared);
        return;
      }
      // Corked writes leave as one writev: one syscall for everything gathered this turn.
      socket.cork();
      for (const buf of pending) socket.write(buf);
      socket.uncork();
    }
  }

  /** True while the last write was refused and a 'drain' will come. */
  #needsDrain(): boolean {
    // A ServerResponse has no writableNeedDrain (Node 20): its last write's result stands in.
    return this.#socket === null ? this.#responseFull : this.#socket.writableNeedDrain;
  }

  #writableLength(): number {
    if (this.#state !== 'open') return 0;
    return this.#socket === null ? this.#res.writableLength : this.#socket.writableLength;
  }

  #earlyBytes(): number {
    let n = 0;
    for (const b of this.#early ?? NONE) n += b.length;
    return n;
  }

  #wakeWhenDrained(): void {
    if (this.ready) {
      this.#wake();
      return;
    }
    // This turn's queue is full: its flush checks again.
    if (this.#drainArmed || this.#dirty) return;
    const emitter = this.#socket ?? this.#res;
    this.#drainArmed = true;
    if (this.#needsDrain() || this.#socket === null) {
      (emitter as Tagged)[CONNECTION] = this;
      emitter.once('drain', onDrain);
      return;
    }
    // Bytes wait in the socket, but under its high-water mark: Node will not emit 'drain'. An empty
    // write calls back once everything before it has gone to the kernel; check again then.
    this.#socket.write(EMPTY, () => SseConnection.drained(this));
  }

  /** @internal The socket (or response) drained. */
  static drained(conn: SseConnection): void {
    conn.#drainArmed = false;
    conn.#responseFull = false;
    conn.#unsentAtFlush = conn.#writableLength();
    if (conn.#state === 'open' && conn.#waiters !== null) conn.#wakeWhenDrained();
  }

  /** @internal The response closed: the client left (or the end was written). */
  static responseClosed(conn: SseConnection): void {
    conn.#teardown('client');
  }

  #wake(): void {
    const waiters = this.#waiters;
    if (waiters === null) return;
    this.#waiters = null;
    for (const fn of waiters) fn();
  }

  #slowConsumer(): void {
    if (this.#state === 'closed') return;
    this.#report(
      new HeraldError(
        'SLOW_CONSUMER',
        `closed a stream with ${this.bufferedBytes} unsent bytes (maxPendingBytes ${this.#options.maxPendingBytes})`,
      ),
    );
    this.#res.destroy();
    this.#teardown('slow-consumer');
  }

  /** Tells the app's onError; a hook that throws must not break the stream machinery. */
  #report(err: unknown): void {
    try {
      this.#options.onError?.(err);
    } catch (hookError) {
      process.emitWarning(
        hookError instanceof Error ? hookError : new Error(String(hookError)),
        'HeraldOnErrorWarning',
      );
    }
  }

  // Ending ----------------------------------------------------------------------------------------

  /** Graceful end: write what is queued, then end the response. */
  #end(reason: CloseReason): void {
    if (this.#state !== 'open') return;
    if (this.#pending.length > 0) this.#write();
    this.#teardown(reason);
    this.#res.end();
  }

  #teardown(reason: CloseReason): void {
    if (this.#state === 'closed') return;
    const wasOpen = this.#state === 'open';
    this.#state = 'closed';
    this.#closeReason = reason;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#early = null;
    this.#producer?.cancel();
    if (wasOpen) {
      if (this.#options.heartbeat !== false) leaveHeartbeat(this, this.#options.heartbeat);
      this.#res.off('close', onResponseClose);
      if (this.#drainArmed) (this.#socket ?? this.#res).off('drain', onDrain);
      if (this.#stallBytes >= 0) leaveStallWatch(this, this.#options.maxStallMs);
    }
    // Pull loops waiting for room must wake up to see they were cancelled, or they would hang.
    this.#wake();
    const listeners = this.#closeListeners;
    this.#closeListeners = null;
    for (const listener of listeners ?? NONE) listener(reason);
    if (wasOpen) this.#owner?.connectionClosed(this, reason);
  }
}

function onResponseClose(this: Tagged): void {
  const conn = this[CONNECTION];
  if (conn !== undefined) SseConnection.responseClosed(conn);
}

function onDrain(this: Tagged): void {
  const conn = this[CONNECTION];
  if (conn !== undefined) SseConnection.drained(conn);
}
