/**
 * What a `herald/nest` `@Sse` handler's value travels in between the handler and Herald's
 * interceptor. Nest's interceptor chain flattens an Observable a handler returns into its events
 * (that is how its own `@Sse` maps them); in this box the source arrives whole, so it can be
 * streamed by Herald's engine (and a hub subscription keep its encode-once fast path).
 */
export class HandlerResult {
  readonly value: unknown;

  constructor(value: unknown) {
    this.value = value;
    // Awaited by the interceptor a few microtasks later; marked handled now so an async handler
    // that rejects is never reported as an unhandled rejection in between.
    if (value instanceof Promise) value.catch(() => {});
  }
}

/** The handler's value (awaited), whether or not it arrives boxed. */
export async function unbox(value: unknown): Promise<unknown> {
  return value instanceof HandlerResult ? await value.value : await value;
}
