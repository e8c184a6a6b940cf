import type { SseStreamOptions } from './sse-options.js';

/** Options with every default filled in. */
export interface ResolvedSseOptions {
  status: number;
  headers: Record<string, string>;
  heartbeat: number | false;
  retry: number | undefined;
  maxPendingBytes: number;
  maxStallMs: number;
  describeError: (err: unknown) => { statusCode: number; message: string };
  onError: ((err: unknown) => void) | undefined;
}

/** Default heartbeat period: under the 30-60 s idle timeouts common in proxies and load balancers. */
export const DEFAULT_HEARTBEAT_MS = 15_000;
/** Default cap on a connection's unsent bytes. */
export const DEFAULT_MAX_PENDING_BYTES = 1024 * 1024;
/** Default time a connection's unsent bytes may stay over the cap without going down. */
export const DEFAULT_MAX_STALL_MS = 5_000;

const genericError = (): { statusCode: number; message: string } => ({
  statusCode: 500,
  message: 'Internal server error',
});

/** Merges route options over app defaults over Herald's defaults. */
export function resolveSseOptions(
  app: SseStreamOptions = {},
  route: SseStreamOptions = {},
): ResolvedSseOptions {
  const pick = <K extends keyof SseStreamOptions>(key: K): SseStreamOptions[K] =>
    route[key] !== undefined ? route[key] : app[key];
  const maxPendingBytes = pick('maxPendingBytes') ?? DEFAULT_MAX_PENDING_BYTES;
  if (!Number.isFinite(maxPendingBytes) || maxPendingBytes < 1) {
    throw new RangeError(
      `maxPendingBytes must be a positive number of bytes, got ${maxPendingBytes}`,
    );
  }
  const maxStallMs = pick('maxStallMs') ?? DEFAULT_MAX_STALL_MS;
  if (!(Number.isSafeInteger(maxStallMs) && maxStallMs > 0)) {
    throw new RangeError(`maxStallMs must be a positive number of ms, got ${maxStallMs}`);
  }
  const heartbeat = pick('heartbeat') ?? DEFAULT_HEARTBEAT_MS;
  if (heartbeat !== false && !(Number.isSafeInteger(heartbeat) && heartbeat > 0)) {
    throw new RangeError(`heartbeat must be a positive number of ms or false, got ${heartbeat}`);
  }
  return {
    status: pick('status') ?? 200,
    headers: { ...app.headers, ...route.headers },
    heartbeat,
    retry: pick('retry'),
    maxPendingBytes,
    maxStallMs,
    describeError: pick('describeError') ?? genericError,
    onError: pick('onError'),
  };
}
