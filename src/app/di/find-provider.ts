import type { ModuleRecord, ProviderRecord } from './module-record.js';
import type { InjectionToken } from './types.js';

/**
 * The provider `token` names as seen from `module`: its own providers first, then what its
 * imports export (following re-exports), then what global modules export. Undefined when the
 * token is not visible there, even if another module provides it (encapsulation).
 */
export function findProvider(
  module: ModuleRecord,
  token: InjectionToken,
  globals: readonly ModuleRecord[],
): ProviderRecord | undefined {
  const own = module.providers.get(token);
  if (own) return own;
  const seen = new Set<ModuleRecord>([module]);
  for (const imported of module.imports) {
    const found = findExported(imported, token, seen);
    if (found) return found;
  }
  for (const global of globals) {
    const found = findExported(global, token, seen);
    if (found) return found;
  }
  return undefined;
}

/** The provider `module` exports under `token`, directly or by re-exporting an import. */
function findExported(
  module: ModuleRecord,
  token: InjectionToken,
  seen: Set<ModuleRecord>,
): ProviderRecord | undefined {
  if (seen.has(module)) return undefined;
  seen.add(module);
  if (module.exportedTokens.has(token)) {
    const own = module.providers.get(token);
    if (own) return own;
    for (const imported of module.imports) {
      const found = findExported(imported, token, new Set([module]));
      if (found) return found;
    }
  }
  for (const reexported of module.exportedModules) {
    const found = findExported(reexported, token, seen);
    if (found) return found;
  }
  return undefined;
}
