/** The shapes of stream an `@Sse` handler may return. */
export const SOURCE_KINDS = [
  'observable',
  'event-target',
  'readable-stream',
  'async-iterable',
  'iterable',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Minimal Observable contract (RxJS, zen-observable, anything with `subscribe(observer)`). */
export interface ObservableLike<T = unknown> {
  subscribe(observer: {
    next: (value: T) => void;
    error: (err: unknown) => void;
    complete: () => void;
  }): { unsubscribe(): void } | (() => void) | undefined;
}

/** Which kind `source` is, or undefined if it is not a stream Herald can serve. */
export function sourceKind(source: unknown): SourceKind | undefined {
  if (source === null || (typeof source !== 'object' && typeof source !== 'function'))
    return undefined;
  const s = source as Record<PropertyKey, unknown>;
  // Order matters: an RxJS Subject is not iterable, but a Node Readable is both async iterable and an
  // EventEmitter; a web ReadableStream is also async iterable in Node, and its reader cancels cleanly.
  if (typeof s.subscribe === 'function') return 'observable';
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream)
    return 'readable-stream';
  if (typeof s[Symbol.asyncIterator] === 'function') return 'async-iterable';
  if (typeof EventTarget !== 'undefined' && source instanceof EventTarget) return 'event-target';
  if (typeof s[Symbol.iterator] === 'function') return 'iterable';
  return undefined;
}
