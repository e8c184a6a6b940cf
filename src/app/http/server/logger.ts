/** What Herald needs of a logger: Nest's `LoggerService` subset, so `console` or pino adapters fit. */
export interface LoggerLike {
  log(message: unknown, ...rest: unknown[]): void;
  error(message: unknown, ...rest: unknown[]): void;
  warn(message: unknown, ...rest: unknown[]): void;
}

/**
 * The default logger: one line per message on stdout (log) or stderr (error, warn), tagged with a
 * context name. An error's stack is printed after its line.
 *
 * @example
 * const logger = new Logger('Notifications');
 * logger.warn('slow consumer closed');
 */
export class Logger implements LoggerLike {
  readonly #context: string;

  constructor(context = 'Herald') {
    this.#context = context;
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
    out.write(`[Herald] ${process.pid} ${time} ${level} [${this.#context}] ${parts.join(' ')}\n`);
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
