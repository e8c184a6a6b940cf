import { HeraldError } from '../../errors.js';
import type { ModuleRecord } from './module-record.js';
import { tokenName } from './token-name.js';
import type { InjectionToken } from './types.js';

/** Declared types that exist at runtime but can never be injected by type. */
const NOT_INJECTABLE_BY_TYPE = new Set<unknown>([
  String,
  Number,
  Boolean,
  Symbol,
  BigInt,
  Array,
  Function,
  Promise,
]);

/** Names the path from the first provider being made to `last`: `A -> B -> C`. */
export function chainText(chain: readonly string[], last?: string): string {
  return (last === undefined ? chain : [...chain, last]).join(' -> ');
}

/**
 * `Cannot resolve A -> B -> C: argument #0 of B ("C") is not available in module M. ...`, with a
 * hint when another module provides the token but does not export it or is not imported.
 */
export function missingDependency(
  chain: readonly string[],
  slot: string,
  token: InjectionToken,
  module: ModuleRecord,
  modules: readonly ModuleRecord[],
): HeraldError {
  const name = tokenName(token);
  if (NOT_INJECTABLE_BY_TYPE.has(token)) {
    return new HeraldError(
      'MISSING_DEPENDENCY',
      `Cannot resolve ${chainText(chain)}: ${slot} is typed ${name}, which cannot be injected by type. Use @Inject(token) on that parameter.`,
    );
  }
  return new HeraldError(
    'MISSING_DEPENDENCY',
    `Cannot resolve ${chainText(chain, name)}: ${slot} ("${name}") is not available in module ${module.type.name}. Add it to that module's providers, or import a module that exports it.${visibilityHint(token, module, modules)}`,
  );
}

/** A constructor parameter whose declared type did not survive compilation. */
export function lostType(chain: readonly string[], slot: string): HeraldError {
  return new HeraldError(
    'MISSING_DEPENDENCY',
    `Cannot resolve ${chainText(chain)}: ${slot} has no runtime type (it is declared as an interface, a union, a type-only import, or a class not yet defined because of a circular file import). Use @Inject(token) on that parameter.`,
  );
}

/** A class with constructor parameters but no metadata to resolve them. */
export function undecorated(
  chain: readonly string[],
  className: string,
  arity: number,
): HeraldError {
  return new HeraldError(
    'MISSING_DEPENDENCY',
    `Cannot resolve ${chainText(chain)}: ${className} has ${arity} constructor parameter(s) but no type metadata. Decorate it with @Injectable() and compile with emitDecoratorMetadata.`,
  );
}

/** Providers that need each other: names the cycle, then where it was reached from. */
export function circularDependency(chain: readonly string[], from: number): HeraldError {
  const cycle = [...chain.slice(from), chain[from] ?? ''];
  const via = from > 0 ? ` (reached from ${chainText(chain.slice(0, from + 1))})` : '';
  return new HeraldError(
    'CIRCULAR_DEPENDENCY',
    `Circular dependency: ${chainText(cycle)}${via}. Constructor injection cannot build providers that need each other; move what they share into a third provider, or let one of them reach the other through EventEmitter2 or Container.get() after start.`,
  );
}

function visibilityHint(
  token: InjectionToken,
  module: ModuleRecord,
  modules: readonly ModuleRecord[],
): string {
  const owner = modules.find((m) => m !== module && m.providers.has(token));
  if (!owner) return '';
  const name = tokenName(token);
  if (!owner.exportedTokens.has(token)) {
    return ` Note: ${owner.type.name} provides ${name} but does not export it.`;
  }
  return ` Note: ${owner.type.name} exports ${name}, but ${module.type.name} does not import ${owner.type.name}.`;
}
