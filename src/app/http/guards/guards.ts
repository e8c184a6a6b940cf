import { METADATA } from '../../metadata-keys.js';
import type { ExecutionContext } from '../routing/execution-context.js';

/** Anything with `subscribe` (RxJS Observable included). */
interface Subscribable<T> {
  subscribe(observer: {
    next: (v: T) => void;
    error: (e: unknown) => void;
    complete: () => void;
  }): unknown;
}

/**
 * A guard decides whether a request reaches its handler. Returning `false` answers 403; throwing an
 * `HttpException` answers with it. An Observable's last value before completion is the answer.
 *
 * @example
 * ```ts
 * @Injectable()
 * class ApiKeyGuard implements CanActivate {
 *   canActivate(ctx: ExecutionContext) {
 *     return ctx.switchToHttp().getRequest().headers['x-api-key'] === 'secret';
 *   }
 * }
 * ```
 */
export interface CanActivate {
  canActivate(context: ExecutionContext): boolean | Promise<boolean> | Subscribable<boolean>;
}

/** A guard as given to `@UseGuards`: a class (built through DI) or an instance. */
export type GuardLike = (new (...args: never[]) => CanActivate) | CanActivate;

/**
 * Guards for every route of a controller (on the class) or one route (on a method). Controller
 * guards run first, then method guards, in the order given; the first refusal stops the chain.
 */
export function UseGuards(...guards: GuardLike[]): ClassDecorator & MethodDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const on = (descriptor?.value ?? target) as object;
    const existing: GuardLike[] = Reflect.getOwnMetadata(METADATA.GUARDS, on) ?? [];
    Reflect.defineMetadata(METADATA.GUARDS, [...existing, ...guards], on);
  };
}

/** Awaits a guard's answer, whatever its shape, as a boolean. */
export async function guardResult(
  value: boolean | Promise<boolean> | Subscribable<boolean>,
): Promise<boolean> {
  if (isSubscribable(value)) return Boolean(await lastValue(value));
  return Boolean(await value);
}

function isSubscribable(v: unknown): v is Subscribable<boolean> {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Subscribable<boolean>).subscribe === 'function'
  );
}

function lastValue<T>(source: Subscribable<T>): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    let last: T | undefined;
    source.subscribe({
      next: (v) => {
        last = v;
      },
      error: reject,
      complete: () => resolve(last),
    });
  });
}
