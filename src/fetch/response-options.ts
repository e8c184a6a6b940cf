import {
  DEFAULT_HEARTBEAT_MS,
  type ResolvedSseOptions,
  resolveSseOptions,
} from '../connection/resolve-sse-options.js';
import type { SseStreamOptions } from '../connection/sse-options.js';
import { describeRefusal } from './refusal-response.js';

/** Options of {@link sseResponse}. */
export interface SseResponseOptions
  extends Pick<
    SseStreamOptions,
    'status' | 'headers' | 'retry' | 'maxPendingBytes' | 'maxStallMs' | 'onError'
  > {
  /**
   * The request being answered. Its `signal` aborting (the client left) cancels the producer in
   * the same tick; a `HEAD` gets the head alone.
   */
  request?: Request;
  /**
   * Heartbeat comment interval in ms, or `false` for none. Default {@link DEFAULT_FETCH_HEARTBEAT_MS}:
   * 15,000, and 4,000 on Bun, whose server closes a connection idle for `idleTimeout` (10 s by
   * default). A stream can stay silent for up to two periods, so 4 s keeps it under 10 s.
   */
  heartbeat?: number | false;
}

const IS_BUN = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined';

/** The default heartbeat period of `herald/fetch` streams on this runtime. */
export const DEFAULT_FETCH_HEARTBEAT_MS = IS_BUN ? 4_000 : DEFAULT_HEARTBEAT_MS;

/** `options` with Herald's defaults, errors after the first byte described by their code. */
export function resolveResponseOptions(options: SseResponseOptions): ResolvedSseOptions {
  const { request: _request, ...stream } = options;
  return resolveSseOptions(
    { heartbeat: DEFAULT_FETCH_HEARTBEAT_MS, describeError: describeRefusal },
    stream,
  );
}
