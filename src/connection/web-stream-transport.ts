import type { OutgoingHttpHeaders } from 'node:http';
import type { Frame } from '../wire/frame.js';
import { sharedJoin } from './shared-join.js';
import type { Transport, TransportOwner } from './transport.js';

// What may wait in the body's queue before a write counts as refused (`needsDrain`): the web
// stream's own high-water mark, in bytes, so `desiredSize` is the room left.
const HIGH_WATER_BYTES = 64 * 1024;
// The runtime's server frames the body and owns the connection (and HTTP/2 forbids these).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade']);
// Listeners and the queuing strategy are shared functions, never closures per stream.
const TRANSPORT = Symbol('herald.webTransport');
type Tagged = { [TRANSPORT]?: WebStreamTransport };
const byteLength = (chunk: Uint8Array): number => chunk.byteLength;

/**
 * Writes a stream into the `ReadableStream` body of a fetch `Response` (Hono, Bun.serve,
 * Deno.serve, route handlers). One chunk per flush, enqueued as is: a default stream never
 * detaches it, so one broadcast `Uint8Array` goes to every client. Backpressure is the stream's
 * `desiredSize`: the runtime pulls as its socket takes bytes, and each pull wakes a waiting
 * producer. The client leaves when the runtime cancels the body or the request's signal aborts.
 */
export class WebStreamTransport implements Transport {
  /** The response body; hand it to `new Response()`. */
  readonly body: ReadableStream<Uint8Array>;
  /** Set by `writeHead`. */
  status = 200;
  readonly headers = new Headers();
  readonly #owner: TransportOwner;
  readonly #signal: AbortSignal | undefined;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #armed = false;
  #done = false;

  constructor(owner: TransportOwner, signal?: AbortSignal) {
    this.#owner = owner;
    this.body = new ReadableStream<Uint8Array>(new BodySource(this), {
      highWaterMark: HIGH_WATER_BYTES,
      size: byteLength,
    });
    if (signal === undefined) return;
    this.#signal = signal;
    (signal as Tagged)[TRANSPORT] = this;
    signal.addEventListener('abort', WebStreamTransport.#onAbort);
  }

  writeHead(status: number, headers: OutgoingHttpHeaders): boolean {
    this.status = status;
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined || HOP_BY_HOP.has(name.toLowerCase())) continue;
      this.headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
    return !this.#done;
  }

  frame(frame: Frame): Buffer {
    return frame.bytes;
  }

  text(text: string): Buffer {
    return Buffer.from(text, 'utf8');
  }

  write(parts: Buffer[]): void {
    if (this.#done) return;
    const chunk = parts.length === 1 ? parts[0]! : (sharedJoin(parts) ?? Buffer.concat(parts));
    this.#controller.enqueue(chunk);
  }

  get waiting(): number {
    const room = this.#done ? null : this.#controller.desiredSize;
    return room === null ? 0 : HIGH_WATER_BYTES - room;
  }

  get needsDrain(): boolean {
    return !this.#done && (this.#controller.desiredSize ?? 1) <= 0;
  }

  whenDrained(): void {
    this.#armed = true;
  }

  end(): void {
    if (this.#finish()) this.#controller.close();
  }

  destroy(): void {
    // An errored body makes the runtime abort the response: the client sees it cut, not ended.
    if (this.#finish()) this.#controller.error(new Error('the event stream was aborted'));
  }

  /** @internal The stream started (in its constructor). */
  started(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.#controller = controller;
  }

  /** @internal The runtime read and the queue is under its mark: a waiting producer may go on. */
  pulled(): void {
    if (!this.#armed) return;
    this.#armed = false;
    this.#owner.drained();
  }

  /** @internal The runtime cancelled the body: the client left. */
  left(): void {
    if (!this.#finish()) return;
    this.#owner.clientLeft();
  }

  /** Marks the body finished and drops the abort listener; false if it already was. */
  #finish(): boolean {
    if (this.#done) return false;
    this.#done = true;
    this.#signal?.removeEventListener('abort', WebStreamTransport.#onAbort);
    return true;
  }

  // Shared listener: `this` is the signal it was added to. The body is ended too, so a runtime
  // still reading it (the request was aborted by its owner, not by the client) ends the response.
  static readonly #onAbort = function (this: Tagged): void {
    const transport = this[TRANSPORT];
    if (transport === undefined || !transport.#finish()) return;
    transport.#controller.close();
    transport.#owner.clientLeft();
  };
}

/** The body's underlying source: methods on a prototype, so a stream holds no closures. */
class BodySource implements UnderlyingDefaultSource<Uint8Array> {
  readonly #transport: WebStreamTransport;

  constructor(transport: WebStreamTransport) {
    this.#transport = transport;
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.#transport.started(controller);
  }

  pull(): void {
    this.#transport.pulled();
  }

  cancel(): void {
    this.#transport.left();
  }
}
