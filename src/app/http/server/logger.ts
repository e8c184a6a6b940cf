/** What Herald needs of a logger: Nest's `LoggerService` subset, so `console` or pino adapters fit. */
export interface LoggerLike {
  log(message: unknown, ...rest: unknown[]): void;
  error(message: unknown, ...rest: unknown[]): void;
  warn(message: unknown, ...rest: unknown[]): void;
}

/**
 * The default logger: one line per message on stdout (log) or stderr (error, warn), starting with
 * `[Herald]`, the process id, the time and the level, then the context name when one was given
 * (the app's own logger has none, so no line says `[Herald]` twice). An error's stack is printed
 * after its line.
 *
 * @example
 * const logger = new Logger('Notifications');
 * logger.warn('slow consumer closed');
 * // [Herald] 4242 2025-01-01T12:00:00.000Z WARN [Notifications] slow consumer closed
 */
export class Logger implements LoggerLike {
  readonly #tag: string;

  constructor(context?: string) {
    this.#tag = context === undefined || context === '' ? '' : `[${context}] `;
  }

  /** Informational message. */
  log(message: unknown, ...rest: unknown[]): void {
    this.#write(process.stdout, 'LOG', message, rest);
  }

  /** An error; `Error` arguments are printed with their stack. */
  error(message: unknown, ...rest: unknown[]): void {
    this.#write(process.stderr, 'ERROR', message, rest);
  }

  /** Something unexpected that did not fail a request. */
  warn(message: unknown, ...rest: unknown[]): void {
    this.#write(process.stderr, 'WARN', message, rest);
  }

  #write(out: NodeJS.WriteStream, level: string, message: unknown, rest: unknown[]): void {
    const time = new Date().toISOString();
    const parts = [message, ...rest].map(format);
    out.write(`[Herald] ${process.pid} ${time} ${level} ${this.#tag}${parts.join(' ')}\n`);
  }
}

function format(value: unknown): string {
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** A logger that drops everything (`logger: false`). */
export const silentLogger: LoggerLike = {
  log() {},
  error() {},
  warn() {},
};

/**
 * @internal The token of the app's logger in the DI container (global, for framework modules such
 * as `HubModule`); not part of the public API.
 */
export const APP_LOGGER: unique symbol = Symbol('herald.app-logger');
