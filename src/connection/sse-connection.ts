import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Producer, ProducerSink } from '../stream/producer-sink.js';
import { serializeEvent } from '../wire/encode.js';
import { Frame } from '../wire/frame.js';
import type { WireEvent } from '../wire/message-event.js';
import { EarlyOutput } from './early-output.js';
import { type Beating, joinHeartbeat, leaveHeartbeat } from './heartbeat.js';
import { toMessageEvent } from './to-message-event.js';
import { type HeadRequest, sseHead } from './sse-head.js';
import type { ResolvedSseOptions } from './resolve-sse-options.js';
import { errorEvent, reportError } from './stream-errors.js';
import { StreamOutput } from './stream-output.js';
import type { TransportFactory } from './transport.js';

/** Why a connection ended. */
export type CloseReason = 'complete' | 'error' | 'client' | 'slow-consumer' | 'server';

const NONE: readonly never[] = [];

/** Told once when a started connection closes (the SseServer's registry). */
export interface ConnectionOwner {
  connectionClosed(conn: SseConnection<HeadRequest>, reason: CloseReason): void;
}

/**
 * One client's event stream, from subscribe to close. It owns the response once started: the head,
 * what the producer yielded before it, heartbeats, error events and the end. What it sends is
 * queued and written once per event-loop turn (stream-output.ts) through a transport that writes
 * on the socket or the response (transport.ts), or that a `TransportFactory` makes (a web stream).
 */
export class SseConnection<R extends HeadRequest = IncomingMessage>
  extends StreamOutput
  implements ProducerSink, Beating
{
  /** The request that opened the stream. */
  readonly request: R;

  #owner: ConnectionOwner | undefined;
  /** What the producer did while being subscribed, before the head (rarely anything). */
  #early: EarlyOutput | null = null;
  #producer: Producer | undefined;
  #closeListeners: Array<(reason: CloseReason) => void> | null = null;
  #closeReason: CloseReason | undefined;

  constructor(
    request: R,
    response: ServerResponse | TransportFactory,
    options: ResolvedSseOptions,
    owner?: ConnectionOwner,
  ) {
    super(request, response, options);
    this.request = request;
    this.#owner = owner;
  }

  /** True once the stream has ended, for whatever reason. */
  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Why the stream ended, once it has. */
  get closeReason(): CloseReason | undefined {
    return this.#closeReason;
  }

  /** Bytes accepted for this client and not yet taken by the kernel. */
  get bufferedBytes(): number {
    return this.unsentBytes + (this.#early?.bytes ?? 0);
  }

  /** Calls `listener` once when the stream ends (at once if it has). */
  onClose(listener: (reason: CloseReason) => void): void {
    if (this.state === 'closed') listener(this.#closeReason ?? 'server');
    else {
      this.#closeListeners ??= [];
      this.#closeListeners.push(listener);
    }
  }

  /** Sends one event to this client (encoded for this connection alone). */
  send(event: WireEvent): void {
    if (this.state === 'open') this.enqueue(this.transport.text(serializeEvent(event)));
    else if (this.state === 'pending') this.#earlyOutput().hold(Frame.of(event));
  }

  /**
   * Sends a frame encoded once for many connections (the broadcast path). Returns false once the
   * client has the cap waiting: a Hub subscriber then stops taking live frames and catches up from
   * the log when `whenReady` calls back.
   */
  sendFrame(frame: Frame): boolean {
    if (this.state === 'open') return this.enqueue(this.transport.frame(frame));
    if (this.state === 'pending') this.#earlyOutput().hold(frame);
    return true;
  }

  /** @internal Delivery from the producer. */
  next(item: unknown): void {
    if (this.state === 'closed') return;
    try {
      this.send(toMessageEvent(item));
    } catch (err) {
      this.error(err);
    }
  }

  /** @internal The producer failed: tell the client with an `error` event, then end. */
  error(err: unknown): void {
    if (this.state === 'pending') this.#earlyOutput().fail(err);
    if (this.state !== 'open') return;
    reportError(this.options, err);
    this.send(errorEvent(this.options, err));
    this.#end('error');
  }

  /** @internal The producer ended. */
  complete(): void {
    if (this.state === 'pending') this.#earlyOutput().completed = true;
    else if (this.state === 'open') this.#end('complete');
  }

  /**
   * @internal Binds the running producer. If it already failed while being subscribed, before
   * yielding anything, nothing is written: the error is thrown so the caller can answer a status.
   */
  attach(producer: Producer): void {
    this.#producer = producer;
    this.#refuseIfFailedFirst();
  }

  /**
   * @internal Writes the head, then what the producer yielded while being subscribed; a failure
   * that came after those events follows them as the `error` event.
   */
  start(): void {
    if (this.state !== 'pending') return;
    this.#refuseIfFailedFirst();
    const head = sseHead(this.request, this.options);
    const present = this.transport.writeHead(head.status, head.headers);
    this.state = 'open';
    if (!present) this.teardown('client');
    // A HEAD, or a status without a body (204, 304): the head is the whole answer. Writing events
    // after it would corrupt a keep-alive connection's framing.
    else if (!head.body) this.#end('complete');
    else this.#begin();
  }

  /** After the head: the retry hint and what was yielded early, then its failure or end, if any. */
  #begin(): void {
    if (this.options.retry !== undefined) this.send({ retry: this.options.retry });
    const early = this.#early;
    this.#early = null;
    for (const frame of early?.frames ?? NONE) this.enqueue(this.transport.frame(frame));
    // What was yielded early may already have passed the cap and closed the stream.
    if (this.state !== 'open') return;
    if (early?.failure !== undefined) this.error(early.failure.error);
    else if (early?.completed) this.#end('complete');
    else {
      if (this.options.heartbeat !== false) joinHeartbeat(this, this.options.heartbeat);
      this.wakeWhenWaited();
    }
  }

  /**
   * Ends the stream from the server side. With `retry`, a `retry:` field goes first, so the client
   * reconnects at that delay (used by graceful shutdown to spread reconnects to another process).
   */
  close(options: { retry?: number } = {}): void {
    if (this.state === 'pending') this.teardown('server');
    if (this.state !== 'open') return;
    if (options.retry !== undefined) this.send({ retry: options.retry });
    this.#end('server');
  }

  /** Ends abruptly, dropping unsent frames (the socket is destroyed). */
  destroy(): void {
    if (this.state === 'closed') return;
    this.transport.destroy();
    this.teardown('server');
  }

  /** @internal The response closed: the client left. */
  clientLeft(): void {
    this.teardown('client');
  }

  #earlyOutput(): EarlyOutput {
    this.#early ??= new EarlyOutput();
    return this.#early;
  }

  /** A producer that failed before yielding anything answers a status: nothing was written yet. */
  #refuseIfFailedFirst(): void {
    const early = this.#early;
    if (early?.failure === undefined || early.frames.length > 0) return;
    this.teardown('error');
    throw early.failure.error;
  }

  /** Graceful end: write what is queued, then end the response. */
  #end(reason: CloseReason): void {
    if (this.state !== 'open') return;
    this.writeQueued();
    this.teardown(reason);
    this.transport.end();
  }

  protected override teardown(reason: CloseReason): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.#closeReason = reason;
    this.#early = null;
    this.#producer?.cancel();
    if (wasOpen && this.options.heartbeat !== false) leaveHeartbeat(this, this.options.heartbeat);
    // Pull loops waiting for room must wake up to see they were cancelled, or they would hang.
    this.stopOutput();
    const listeners = this.#closeListeners;
    this.#closeListeners = null;
    for (const listener of listeners ?? NONE) listener(reason);
    if (wasOpen) this.#owner?.connectionClosed(this, reason);
  }
}
