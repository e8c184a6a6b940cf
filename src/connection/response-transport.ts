import type { EventEmitter } from 'node:events';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Frame } from '../wire/frame.js';
import type { Transport, TransportOwner } from './transport.js';

// Listeners are shared functions that find their transport through this key, so an idle connection
// holds no closures of its own (memory per idle connection is a product figure).
const TRANSPORT = Symbol('herald.transport');
type Tagged = { [TRANSPORT]?: ResponseTransport };

/**
 * Writes a stream through its `ServerResponse` (`res.write`): any response that is not an HTTP/1.x
 * one with its socket at hand (HTTP/2's compatibility API, a pipelined request). It owns what every
 * transport shares: the head, the end, and telling the connection of drains and of a client that left.
 */
export class ResponseTransport implements Transport {
  protected readonly res: ServerResponse;
  readonly #owner: TransportOwner;
  /** A wake-up is pending: a 'drain' listener, or (on a socket) an empty write's callback. */
  #armed = false;
  #drainOn: EventEmitter | null = null;
  #full = false;

  constructor(res: ServerResponse, owner: TransportOwner) {
    this.res = res;
    this.#owner = owner;
  }

  writeHead(status: number, headers: OutgoingHttpHeaders): boolean {
    const res = this.res;
    res.writeHead(status, headers);
    res.flushHeaders();
    if (res.socket?.destroyed) return false;
    (res as Tagged)[TRANSPORT] = this;
    res.on('close', ResponseTransport.#onClose);
    return true;
  }

  frame(frame: Frame): Buffer {
    return frame.bytes;
  }

  text(text: string): Buffer {
    return Buffer.from(text, 'utf8');
  }

  write(parts: Buffer[]): void {
    this.#full = !this.res.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
  }

  get waiting(): number {
    return this.res.writableLength;
  }

  /** A ServerResponse has no `writableNeedDrain` (Node 20): its last write's result stands in. */
  get needsDrain(): boolean {
    return this.#full;
  }

  whenDrained(): void {
    if (this.#armed) return;
    this.#armed = true;
    this.armDrain();
  }

  end(): void {
    this.#release();
    this.res.end();
  }

  destroy(): void {
    this.#release();
    this.res.destroy();
  }

  /** Arms one wake-up. A response is only ever waited on for its 'drain'. */
  protected armDrain(): void {
    this.listenForDrain(this.res);
  }

  protected listenForDrain(emitter: EventEmitter): void {
    this.#drainOn = emitter;
    (emitter as Tagged)[TRANSPORT] = this;
    emitter.once('drain', ResponseTransport.#onDrain);
  }

  /** The armed wake-up came. */
  protected drained(): void {
    this.#armed = false;
    this.#drainOn = null;
    this.#full = false;
    this.#owner.drained();
  }

  #release(): void {
    this.res.off('close', ResponseTransport.#onClose);
    this.#drainOn?.off('drain', ResponseTransport.#onDrain);
    this.#drainOn = null;
  }

  // Shared listeners, never a closure per connection: `this` is the emitter they were added to.
  static readonly #onDrain = function (this: Tagged): void {
    this[TRANSPORT]?.drained();
  };

  static readonly #onClose = function (this: Tagged): void {
    const transport = this[TRANSPORT];
    if (transport === undefined) return;
    transport.#release();
    transport.#owner.clientLeft();
  };
}
