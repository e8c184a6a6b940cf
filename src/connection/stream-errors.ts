import type { WireEvent } from '../wire/message-event.js';
import type { ResolvedSseOptions } from './resolve-sse-options.js';

/** Tells the app's onError; a hook that throws must not break the stream machinery. */
export function reportError(options: ResolvedSseOptions, err: unknown): void {
  try {
    options.onError?.(err);
  } catch (hookError) {
    process.emitWarning(
      hookError instanceof Error ? hookError : new Error(String(hookError)),
      'HeraldOnErrorWarning',
    );
  }
}

/**
 * The `error` event that ends a started stream: `{ statusCode, message }` as `describeError` tells
 * (the real error only goes to `onError`, so nothing private reaches the client).
 */
export function errorEvent(options: ResolvedSseOptions, err: unknown): WireEvent {
  let described: { statusCode: number; message: string };
  try {
    described = options.describeError(err);
  } catch {
    described = { statusCode: 500, message: 'Internal server error' };
  }
  const { statusCode, message } = described;
  return { event: 'error', data: { statusCode, message } };
}
