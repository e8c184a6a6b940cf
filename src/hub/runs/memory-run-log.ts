import { randomBytes } from 'node:crypto';
import { HeraldError } from '../../errors.js';
import type { BrokerEntry, ReplayResult, StoredEvent } from '../broker.js';
import { endEvent, type RunLimits, type RunLog, type RunStatus } from './run-store.js';

/**
 * A run's log in memory: every entry from the first to the terminal one, in an array, never
 * trimmed (the run's cap refuses what would pass it). Ids are `<epoch>-<n>`, the epoch random per
 * run, so an id of another run (or of an earlier run with the same name) is recognized as foreign.
 */
export class MemoryRunLog implements RunLog {
  readonly epoch = randomBytes(4).toString('hex');
  readonly startId = `${this.epoch}-0`;
  readonly limits: RunLimits;
  onEnd: ((status: RunStatus) => void) | undefined;
  state: 'running' | RunStatus = 'running';
  endId: string | undefined;
  #entries: BrokerEntry[] = [];
  #bytes = 0;
  #deliver: ((entry: BrokerEntry) => void) | undefined;

  constructor(limits: RunLimits) {
    this.limits = limits;
  }

  start(deliver: (entry: BrokerEntry) => void): void {
    this.#deliver = deliver;
  }

  append(topic: string, event: StoredEvent, size = 0): string {
    if (this.state !== 'running') throw new HeraldError('RUN_ENDED', 'the run has ended');
    const { maxEvents, maxBytes } = this.limits;
    if (this.#entries.length >= maxEvents || this.#bytes + size > maxBytes) {
      throw new HeraldError(
        'RUN_TOO_LARGE',
        `the run passed its cap of ${maxEvents} events or ${maxBytes} bytes (runs maxEvents / maxBytes)`,
      );
    }
    this.#bytes += size;
    return this.#push({ id: this.#nextId(), topic, event });
  }

  /** Appends the terminal event; undefined when the run had already ended. */
  end(status: RunStatus): string | undefined {
    if (this.state !== 'running') return undefined;
    this.state = status;
    const id = this.#push({
      id: this.#nextId(),
      topic: 'run',
      event: endEvent(status),
      final: true,
    });
    this.endId = id;
    this.onEnd?.(status);
    return id;
  }

  readAfter(id: string, limit = Number.POSITIVE_INFINITY): ReplayResult {
    const n = this.#indexOf(id) ?? 0;
    return { kind: 'ok', entries: this.#entries.slice(n, n + Math.min(limit, 2 ** 31)) };
  }

  readAll(): readonly BrokerEntry[] {
    return this.#entries.slice();
  }

  position(id: string): string {
    return this.#indexOf(id) === undefined ? this.startId : id;
  }

  head(): string {
    return `${this.epoch}-${this.#entries.length}`;
  }

  compare(a: string, b: string): number {
    return (this.#indexOf(a) ?? 0) - (this.#indexOf(b) ?? 0);
  }

  close(): void {
    this.#deliver = undefined;
  }

  #nextId(): string {
    return `${this.epoch}-${this.#entries.length + 1}`;
  }

  #push(entry: BrokerEntry): string {
    this.#entries.push(entry);
    this.#deliver?.(entry);
    return entry.id;
  }

  /** How many entries precede-and-include `id`, when it is one of this run's; else undefined. */
  #indexOf(id: string): number | undefined {
    const dash = id.indexOf('-');
    if (dash < 0 || id.slice(0, dash) !== this.epoch) return undefined;
    const n = Number(id.slice(dash + 1));
    return Number.isSafeInteger(n) && n >= 0 && n <= this.#entries.length ? n : undefined;
  }
}
