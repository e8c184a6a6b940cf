import type { HeraldClientErrorCode } from './client-error.js';
import { createEventStreamParser, type ParsedEvent } from '../wire/parse-event-stream.js';
import type { CreateParser } from './load-parser.js';
import { buildRequestInit } from './request.js';
import { checkResponse } from './response-check.js';
import type { ConnectOptions } from './types.js';

/** Why an attempt failed, and whether waiting may help. */
export interface AttemptFailure {
  readonly kind: 'retry' | 'fatal';
  readonly code: HeraldClientErrorCode;
  readonly message: string;
  readonly status?: number | undefined;
  readonly retryAfter?: number | undefined;
  readonly cause?: unknown;
}

/**
 * How an attempt ended: `ended` (the server ended an open stream), `done` (204), `closed` (the
 * caller closed the stream meanwhile), or a failure.
 */
export type AttemptOutcome =
  | { readonly kind: 'ended' }
  | { readonly kind: 'done' }
  | { readonly kind: 'closed' }
  | AttemptFailure;

/** What one attempt needs from its stream. */
export interface AttemptContext {
  readonly url: string;
  readonly options: ConnectOptions;
  readonly fetch: typeof fetch;
  readonly lastEventId: string;
  readonly signal: AbortSignal;
  readonly createParser: CreateParser;
  isClosed(): boolean;
  opened(response: Response): void;
  onEvent(event: ParsedEvent): void;
  onRetry(ms: number): void;
  /** The last event ID buffer after a chunk (an `id:` in a block without data dispatches nothing). */
  onLastEventId(id: string): void;
}

/** One request (HTML 9.2.3): fetch, check the response, then parse the body until it ends. */
export async function attempt(ctx: AttemptContext): Promise<AttemptOutcome> {
  const { signal } = ctx;
  let response: Response;
  try {
    const init = await buildRequestInit(ctx.options, ctx.lastEventId, signal);
    if (ctx.isClosed()) return { kind: 'closed' };
    response = await ctx.fetch(ctx.url, init);
  } catch (cause) {
    if (signal.aborted) return { kind: 'closed' };
    return { kind: 'retry', code: 'NETWORK', message: 'The request failed', cause };
  }
  const verdict = checkResponse(response);
  if (verdict.kind !== 'open' || response.body === null || signal.aborted) {
    response.body?.cancel().catch(() => {});
    if (verdict.kind !== 'open') return verdict;
    return { kind: signal.aborted ? 'closed' : 'ended' };
  }
  ctx.opened(response);
  const parser = createEventStreamParser(ctx.createParser, (event) => ctx.onEvent(event), {
    lastEventId: ctx.lastEventId,
    onRetry: (ms) => ctx.onRetry(ms),
  });
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { kind: 'ended' };
      parser.push(value);
      if (ctx.isClosed()) return { kind: 'closed' };
      ctx.onLastEventId(parser.lastEventId);
    }
  } catch (cause) {
    if (signal.aborted) return { kind: 'closed' };
    return { kind: 'retry', code: 'NETWORK', message: 'The stream broke off', cause };
  }
}
