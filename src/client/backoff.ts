import type { RetryOptions } from './types.js';

/** Backoff settings with defaults applied. */
export interface BackoffSettings {
  readonly initial: number;
  readonly max: number;
  readonly jitter: number;
}

/** Applies the defaults (1 s initial, 30 s cap, 0.5 jitter) and clamps nonsense to sane values. */
export function resolveBackoff(options: RetryOptions = {}): BackoffSettings {
  const initial = Math.max(0, options.initial ?? 1000);
  const max = Math.max(initial, options.max ?? 30_000);
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  return { initial, max, jitter };
}

/** What the next wait depends on. */
export interface DelayInput {
  /** Consecutive failures since the last successful open; 0 for a reconnection after a clean end. */
  failures: number;
  /** The reconnection time the server set with `retry:`, if it did. */
  serverRetry?: number | undefined;
  /** The server's `Retry-After`, in ms. */
  retryAfter?: number | undefined;
}

/**
 * Milliseconds to wait before the next attempt.
 *
 * After a clean end the wait is exactly the reconnection time (HTML 9.2.3: the server's `retry:`,
 * else `initial`). After the n-th consecutive failure it grows to `min(max, base * 2^(n-1))` and is
 * jittered down by up to `jitter`, so clients that failed together do not return together; it never
 * drops below the server's `retry:` (the spec lets a client wait longer, not shorter) nor below a
 * `Retry-After`.
 */
export function reconnectDelay(
  settings: BackoffSettings,
  input: DelayInput,
  random: () => number = Math.random,
): number {
  const base = input.serverRetry ?? settings.initial;
  let delay = base;
  if (input.failures > 0) {
    const ceiling = Math.min(settings.max, base * 2 ** (input.failures - 1));
    delay = Math.max(input.serverRetry ?? 0, ceiling * (1 - settings.jitter * random()));
  }
  return Math.round(Math.max(delay, input.retryAfter ?? 0));
}

/** Parses `Retry-After` (delta-seconds or an HTTP-date, RFC 9110 10.2.3) into ms, or `undefined`. */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP-date names a weekday and a month; Date.parse alone would also take '-3' as a year.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
