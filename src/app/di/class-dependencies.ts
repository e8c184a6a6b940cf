import 'reflect-metadata';
import { METADATA } from '../metadata-keys.js';
import type { InjectionToken, Type } from './types.js';

/** One constructor parameter of a class, as the container must resolve it. */
export interface ClassDependency {
  /** The token to resolve; `undefined` when the declared type was lost (see `lostType`). */
  token: InjectionToken | undefined;
  optional: boolean;
  /**
   * True when the parameter's type is `Object` or missing: an interface, a union, a type-only
   * import, or a class not yet defined because of a circular file import. Only `@Inject` helps.
   */
  lostType: boolean;
}

/**
 * The constructor dependencies of `type`, from `design:paramtypes` (emitted by TypeScript for
 * decorated classes) overridden per position by `@Inject`, plus `@Optional` flags. A subclass
 * without its own constructor uses its parent's.
 */
export function classDependencies(type: Type): ClassDependency[] {
  const owner = metadataOwner(type);
  if (owner === undefined) return [];
  const paramTypes: unknown[] = Reflect.getOwnMetadata('design:paramtypes', owner) ?? [];
  const injected: Map<number, InjectionToken> =
    Reflect.getOwnMetadata(METADATA.INJECT_TOKENS, owner) ?? new Map();
  const optional: number[] = Reflect.getOwnMetadata(METADATA.OPTIONAL_PARAMS, owner) ?? [];
  const count = Math.max(paramTypes.length, ...[...injected.keys()].map((i) => i + 1));
  const deps: ClassDependency[] = [];
  for (let i = 0; i < count; i++) {
    const explicit = injected.get(i);
    const declared = paramTypes[i];
    const lostType = explicit === undefined && (declared === undefined || declared === Object);
    deps.push({
      token: explicit ?? (lostType ? undefined : (declared as InjectionToken)),
      optional: optional.includes(i),
      lostType,
    });
  }
  return deps;
}

/** How many constructor parameters `type` declares without any metadata to resolve them. */
export function undecoratedArity(type: Type): number {
  return metadataOwner(type) === undefined ? type.length : 0;
}

/** The nearest class in the prototype chain that carries constructor metadata. */
function metadataOwner(type: Type): Type | undefined {
  let current: unknown = type;
  while (typeof current === 'function' && current !== Function.prototype) {
    const ctor = current as Type;
    if (
      Reflect.hasOwnMetadata('design:paramtypes', ctor) ||
      Reflect.hasOwnMetadata(METADATA.INJECT_TOKENS, ctor)
    ) {
      return ctor;
    }
    current = Object.getPrototypeOf(ctor);
  }
  return undefined;
}
