import type { LoggerLike } from './logger.js';

/** How the app shuts down (`HeraldFactory.create(module, { shutdown })`). */
export interface ShutdownOptions {
  /**
   * `retry:` (ms) sent to every open stream as it is closed, so clients reconnect after that delay,
   * to another process or to this one restarted. Default 2,000.
   */
  retry?: number;
  /**
   * Spread (ms) of those `retry:` hints: each stream gets its own delay, drawn uniformly from
   * `[retry, retry + retryJitter]`, so the clients of a process that shuts down reconnect over that
   * window rather than all at once on the processes that remain. Default: equal to `retry`
   * (2–4 s with the default `retry`); 0 sends every stream exactly `retry`.
   */
  retryJitter?: number;
  /**
   * Deadline in ms for a shutdown started by a signal (`enableShutdownHooks`): past it, every
   * socket is cut and the process is ended even if a destroy hook has not finished. Default 10,000,
   * well inside the 30 s most orchestrators (Kubernetes, systemd, ECS) wait before SIGKILL.
   */
  timeout?: number;
}

/** Defaults of {@link ShutdownOptions} (`retryJitter` follows `retry` unless set). */
export const DEFAULT_SHUTDOWN: Required<ShutdownOptions> = {
  retry: 2_000,
  retryJitter: 2_000,
  timeout: 10_000,
};

/** @internal `options` with every default filled in; `retryJitter` follows the `retry` in effect. */
export function resolveShutdown(options: ShutdownOptions = {}): Required<ShutdownOptions> {
  const retry = options.retry ?? DEFAULT_SHUTDOWN.retry;
  return {
    retry,
    retryJitter: options.retryJitter ?? retry,
    timeout: options.timeout ?? DEFAULT_SHUTDOWN.timeout,
  };
}

/** Signals `enableShutdownHooks()` listens to when none are named. */
export const DEFAULT_SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** What a signal handler needs from the application. */
export interface ShutdownTarget {
  close(signal: string): Promise<void>;
  /** Cuts every socket at once (the deadline passed). */
  forceClose(): void;
}

/**
 * Listens for `signals`; on the first, runs `target.close(signal)` and then re-raises the signal so
 * the process ends as it would have without a listener (exit status 128 + signal number). Past
 * `timeout` it cuts every socket and re-raises at once. Returns a function that stops listening.
 */
export function listenForSignals(
  signals: readonly string[],
  target: ShutdownTarget,
  timeout: number,
  logger: LoggerLike,
): () => void {
  const stop = () => {
    for (const s of signals) process.off(s, onSignal);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    // Listeners go first: a second Ctrl-C then ends the process at once, as users expect.
    stop();
    const reraise = () => {
      clearTimeout(deadline);
      process.kill(process.pid, signal);
    };
    const deadline = setTimeout(() => {
      logger.error(`Shutdown did not finish within ${timeout} ms; closing all sockets and exiting`);
      target.forceClose();
      reraise();
    }, timeout);
    logger.log(`${signal} received, shutting down`);
    target.close(signal).then(reraise, (err: unknown) => {
      logger.error('Shutdown failed', err);
      reraise();
    });
  };
  for (const s of signals) process.on(s, onSignal);
  return stop;
}
