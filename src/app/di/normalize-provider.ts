import { HeraldError } from '../../errors.js';
import type { ProviderRecipe } from './module-record.js';
import { tokenName } from './token-name.js';
import type { InjectionToken, OptionalFactoryDependency, Provider } from './types.js';

/** Turns one entry of a module's `providers` into its token and recipe, or says why it cannot. */
export function normalizeProvider(
  provider: Provider,
  moduleName: string,
): { token: InjectionToken; recipe: ProviderRecipe } {
  if (typeof provider === 'function') {
    return { token: provider, recipe: { kind: 'class', type: provider } };
  }
  if (provider === null || typeof provider !== 'object' || !('provide' in provider)) {
    throw new HeraldError(
      'INVALID_MODULE',
      `A provider of ${moduleName} is ${String(provider)}: expected a class or { provide, use... }.` +
        (provider === undefined ? ' A circular file import can cause this.' : ''),
    );
  }
  const token = provider.provide;
  if ('useClass' in provider && typeof provider.useClass === 'function') {
    return { token, recipe: { kind: 'class', type: provider.useClass } };
  }
  if ('useValue' in provider) return { token, recipe: { kind: 'value', value: provider.useValue } };
  if ('useFactory' in provider && typeof provider.useFactory === 'function') {
    const inject = (provider.inject ?? []).map((dep) =>
      isOptionalDependency(dep) ? dep : { token: dep, optional: false },
    );
    return { token, recipe: { kind: 'factory', factory: provider.useFactory, inject } };
  }
  if ('useExisting' in provider) {
    return { token, recipe: { kind: 'existing', token: provider.useExisting } };
  }
  throw new HeraldError(
    'INVALID_MODULE',
    `The provider ${tokenName(token)} of ${moduleName} needs one of useClass (a class), useValue, useFactory (a function) or useExisting.`,
  );
}

function isOptionalDependency(
  dep: InjectionToken | OptionalFactoryDependency,
): dep is OptionalFactoryDependency {
  return dep !== null && typeof dep === 'object' && 'token' in dep;
}
