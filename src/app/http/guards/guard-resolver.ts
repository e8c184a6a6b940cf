import { HeraldError, isHeraldError } from '../../../errors.js';
import { classDependencies } from '../../di/class-dependencies.js';
import type { CanActivate, GuardLike } from './guards.js';

/** What guard resolution needs of the DI container. */
export interface TokenResolver {
  get<T = unknown>(token: unknown): T;
}

/**
 * Turns `@UseGuards` entries into instances, once per application: an instance is used as is; a
 * class registered as a provider comes from the container; any other class is constructed with its
 * constructor parameters resolved from the container (so a guard can inject `Reflector` or a
 * service without being listed in `providers`, as in NestJS).
 */
export class GuardResolver {
  readonly #container: TokenResolver;
  readonly #cache = new Map<GuardLike, CanActivate>();

  constructor(container: TokenResolver) {
    this.#container = container;
  }

  /** The instance for a guard, built on first use. */
  resolve(guard: GuardLike): CanActivate {
    if (typeof guard !== 'function') return guard;
    let instance = this.#cache.get(guard);
    if (instance === undefined) {
      instance = this.#build(guard);
      this.#cache.set(guard, instance);
    }
    return instance;
  }

  #build(type: new (...args: never[]) => CanActivate): CanActivate {
    try {
      return this.#container.get<CanActivate>(type);
    } catch {
      try {
        const args = classDependencies(type).map((dep) =>
          dep.token === undefined ? undefined : this.#optional(dep.token, dep.optional),
        );
        return new (type as new (...a: unknown[]) => CanActivate)(...args);
      } catch (err) {
        const code = isHeraldError(err) ? err.code : 'INVALID_MODULE';
        const why = err instanceof Error ? err.message : String(err);
        throw new HeraldError(code, `Cannot build guard ${type.name}: ${why}`, { cause: err });
      }
    }
  }

  #optional(token: unknown, optional: boolean): unknown {
    if (!optional) return this.#container.get(token);
    try {
      return this.#container.get(token);
    } catch {
      return undefined;
    }
  }
}
