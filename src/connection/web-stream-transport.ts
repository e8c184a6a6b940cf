import type { OutgoingHttpHeaders } from 'node:http';
import type { Frame } from '../wire/frame.js';
import { sharedJoin } from './shared-join.js';
import type { Transport, TransportOwner } from './transport.js';

// The runtime's server frames the body and owns the connection (and HTTP/2 forbids these).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade']);
// The abort listener is one shared function, never a closure per stream.
const TRANSPORT = Symbol('herald.webTransport');
type Tagged = { [TRANSPORT]?: WebStreamTransport };
// A high-water mark of 0: the stream calls `pull` only when the runtime's reader waits for a chunk,
// which means it has taken, and written on, everything before.
const ON_READ: QueuingStrategy<Uint8Array> = { highWaterMark: 0 };
// Bun 1.4.4 sends a streamed response's head only with its first body bytes (the status line goes
// out, the rest waits): a stream with nothing to say yet would look unopened, and idle until Bun's
// idle timeout closes it. An empty comment (which dispatches nothing) opens it on every runtime.
const OPENING = new Uint8Array([0x3a, 0x0a, 0x0a]);

/**
 * Writes a stream into the `ReadableStream` body of a fetch `Response` (Hono, Bun.serve,
 * Deno.serve, route handlers). One chunk per flush, enqueued as is: a default stream never
 * detaches it, so one broadcast `Uint8Array` goes to every client. The runtime reads a chunk when
 * its socket has taken the last one (Node's server waits for `drain`; Bun's and Deno's read as they
 * write), so what was enqueued since its last read is what the client has not taken yet: the
 * stream's unsent bytes for the cap, whether queued or held by the runtime. Each read wakes a
 * waiting producer. The client leaves when the runtime cancels the body or the signal aborts.
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
  /** Bytes enqueued since the runtime last asked for more. */
  #outstanding = 0;
  #armed = false;
  #done = false;

  constructor(owner: TransportOwner, signal?: AbortSignal) {
    this.#owner = owner;
    this.body = new ReadableStream<Uint8Array>(new BodySource(this), ON_READ);
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
    if (this.#done) return false;
    this.#outstanding += OPENING.length;
    this.#controller.enqueue(OPENING);
    return true;
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
    this.#outstanding += chunk.length;
    this.#controller.enqueue(chunk);
  }

  get waiting(): number {
    return this.#outstanding;
  }

  /**
   * Never: while bytes are outstanding the runtime's next read always comes (or the body is
   * cancelled), so judging by `waiting` alone never waits for a wake-up that does not come.
   */
  get needsDrain(): boolean {
    return false;
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

  /** @internal The runtime waits for a chunk: it took all before. A waiting producer may go on. */
  pulled(): void {
    this.#outstanding = 0;
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
