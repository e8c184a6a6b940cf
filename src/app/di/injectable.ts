import 'reflect-metadata';
import { METADATA } from '../metadata-keys.js';
import type { InjectionToken } from './types.js';

/**
 * Marks a class as a provider. It also makes TypeScript emit `design:paramtypes`, which is how
 * constructor parameters are injected by their declared type.
 *
 * @example
 * @Injectable()
 * export class TaskService {
 *   constructor(private readonly events: EventEmitter2) {}
 * }
 */
export function Injectable(): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(METADATA.INJECTABLE, true, target);
  };
}

/**
 * Injects the provider registered under `token` instead of the parameter's declared type. Needed
 * for string and symbol tokens, and for parameters typed by an interface or a type-only import
 * (their type does not exist at runtime).
 *
 * @example
 * constructor(@Inject('CONFIG') private readonly config: Config) {}
 */
export function Inject(token: InjectionToken): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey !== undefined) return;
    // Own metadata only: a subclass with its own constructor must not inherit its parent's slots.
    const own: Map<number, InjectionToken> | undefined = Reflect.getOwnMetadata(
      METADATA.INJECT_TOKENS,
      target,
    );
    const tokens = new Map(own);
    tokens.set(index, token);
    Reflect.defineMetadata(METADATA.INJECT_TOKENS, tokens, target);
  };
}

/**
 * A constructor parameter that receives `undefined` when its provider is not available, instead
 * of failing the application's start.
 *
 * @example
 * constructor(@Optional() @Inject(LOGGER) private readonly logger?: Logger) {}
 */
export function Optional(): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey !== undefined) return;
    const own: number[] = Reflect.getOwnMetadata(METADATA.OPTIONAL_PARAMS, target) ?? [];
    Reflect.defineMetadata(METADATA.OPTIONAL_PARAMS, [...own, index], target);
  };
}
