import { classDependencies, undecoratedArity } from './class-dependencies.js';
import type { ProviderRecord } from './module-record.js';
import { undecorated } from './resolution-errors.js';
import type { InjectionToken } from './types.js';

/** One thing a provider needs, and how to name its place in an error message. */
export interface Dependency {
  /** Undefined when a constructor parameter's type was lost at compile time. */
  token: InjectionToken | undefined;
  optional: boolean;
  /** `argument #0 of EventService`, `inject #1 of the factory for CONFIG`, `the alias LOGGER`. */
  slot: string;
}

/**
 * What `record` needs before it can be made, in argument order. Throws `MISSING_DEPENDENCY`
 * for a class that has constructor parameters but no metadata to resolve them.
 */
export function providerDependencies(
  record: ProviderRecord,
  chain: readonly string[],
): Dependency[] {
  const { recipe } = record;
  const name = chain.at(-1) ?? '';
  switch (recipe.kind) {
    case 'value':
      return [];
    case 'existing':
      return [{ token: recipe.token, optional: false, slot: `the alias ${name}` }];
    case 'factory':
      return recipe.inject.map((dep, i) => ({
        ...dep,
        slot: `inject #${i} of the factory for ${name}`,
      }));
    case 'class': {
      const arity = undecoratedArity(recipe.type);
      if (arity > 0) throw undecorated(chain, recipe.type.name, arity);
      return classDependencies(recipe.type).map((dep, i) => ({
        token: dep.token,
        optional: dep.optional,
        slot: `argument #${i} of ${recipe.type.name}`,
      }));
    }
  }
}
