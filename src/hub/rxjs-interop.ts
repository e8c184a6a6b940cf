import { createRequire } from 'node:module';

/** What a subscription borrows from rxjs: an Observable made from it by `from()`. */
export interface RxjsObservable {
  lift(operator: unknown): unknown;
  pipe(...operators: unknown[]): unknown;
}

let from: ((input: unknown) => RxjsObservable) | undefined;

/**
 * rxjs's `from(input)`, loaded on first use: `herald/hub` must not load rxjs for apps that never
 * pipe a subscription. rxjs resolves to one build under Node (its `node` export condition), so this
 * is the same `from` the caller's rxjs has.
 */
export function rxjsFrom(input: unknown): RxjsObservable {
  from ??= (createRequire(import.meta.url)('rxjs') as { from: typeof from }).from;
  return from!(input);
}
