/**
 * Reports an exception thrown by a user's listener without breaking the stream, the way
 * `EventTarget` does: `reportError` where it exists (browsers), else an uncaught exception on a
 * fresh microtask (Node 20 has no `reportError`).
 */
export function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else
    queueMicrotask(() => {
      throw error;
    });
}

/** Calls a user's listener; an exception it throws is reported, not propagated. */
export function safely<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch (error) {
    reportListenerError(error);
  }
}
