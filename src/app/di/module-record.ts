import type { InjectionToken, Type } from './types.js';

/** How a provider makes its instance, normalized from the four provider shapes and bare classes. */
export type ProviderRecipe =
  | { kind: 'class'; type: Type }
  | { kind: 'value'; value: unknown }
  | {
      kind: 'factory';
      factory: (...args: any[]) => unknown;
      inject: Array<{ token: InjectionToken; optional: boolean }>;
    }
  | { kind: 'existing'; token: InjectionToken };

/** One provider (or controller) of one module, and its singleton once made. */
export interface ProviderRecord {
  token: InjectionToken;
  recipe: ProviderRecipe;
  module: ModuleRecord;
  made: boolean;
  instance: unknown;
}

/** One module of the application after scanning: what it owns, imports and exports. */
export interface ModuleRecord {
  type: Type;
  global: boolean;
  imports: ModuleRecord[];
  providers: Map<InjectionToken, ProviderRecord>;
  controllers: ProviderRecord[];
  /** Tokens named in `exports` (own providers, or re-exported from an import). */
  exportedTokens: Set<InjectionToken>;
  /** Imported modules named in `exports`: everything they export is exported too. */
  exportedModules: Set<ModuleRecord>;
}
