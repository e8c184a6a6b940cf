import { HeraldError } from '../../errors.js';
import type { ModuleRecord } from './module-record.js';
import { normalizeProvider } from './normalize-provider.js';
import { tokenName } from './token-name.js';
import type { ProviderOverride } from './types.js';

/**
 * Swaps the recipe of every provider registered under an override's token, in whatever module
 * of the tree declares it. The record keeps its module, so an overriding class or factory resolves
 * its own dependencies as the replaced provider would have. An override that matches no provider
 * is an error: a misspelt token would otherwise leave the real provider in place unnoticed.
 */
export function applyOverrides(
  modules: readonly ModuleRecord[],
  overrides: readonly ProviderOverride[],
): void {
  for (const override of overrides) {
    const { token, recipe } = normalizeProvider(override, 'the overrides');
    let matched = false;
    for (const module of modules) {
      const record = module.providers.get(token);
      if (record === undefined) continue;
      record.recipe = recipe;
      matched = true;
    }
    if (!matched) {
      throw new HeraldError(
        'INVALID_MODULE',
        `The override of ${tokenName(token)} matches no provider in the module tree.`,
      );
    }
  }
}
