/**
 * A class that can be constructed: the shape of every provider, controller and module class.
 *
 * @example
 * function instantiate<T>(type: Type<T>): T { return new type(); }
 */
export interface Type<T = any> extends Function {
  new (...args: any[]): T;
}

/** An abstract class used as a token (it has a prototype but no public constructor). */
export type Abstract<T> = Function & { prototype: T };

/**
 * What a provider is registered under and what a constructor parameter asks for: a class (the
 * default, taken from the parameter's declared type), an abstract class, a string or a symbol.
 */
export type InjectionToken<T = unknown> = Type<T> | Abstract<T> | string | symbol;

/** Short alias of {@link InjectionToken}. */
export type Token<T = unknown> = InjectionToken<T>;

/** A factory dependency that resolves to `undefined` instead of failing when it is not available. */
export interface OptionalFactoryDependency {
  token: InjectionToken;
  optional: boolean;
}

/** `{ provide, useClass }`: construct `useClass` (with its own constructor injection). */
export interface ClassProvider<T = unknown> {
  provide: InjectionToken;
  useClass: Type<T>;
}

/** `{ provide, useValue }`: the value itself is the singleton. */
export interface ValueProvider<T = unknown> {
  provide: InjectionToken;
  useValue: T;
}

/** `{ provide, useFactory, inject? }`: the factory's (awaited) result is the singleton. */
export interface FactoryProvider<T = unknown> {
  provide: InjectionToken;
  useFactory: (...args: any[]) => T | Promise<T>;
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
}

/** `{ provide, useExisting }`: an alias; both tokens give the same instance. */
export interface ExistingProvider {
  provide: InjectionToken;
  useExisting: InjectionToken;
}

/** Anything a module may list in `providers`. A bare class is `{ provide: C, useClass: C }`. */
export type Provider<T = any> =
  | Type<T>
  | ClassProvider<T>
  | ValueProvider<T>
  | FactoryProvider<T>
  | ExistingProvider;

/**
 * A provider that replaces, everywhere in the module tree, the provider registered under the same
 * `provide` token (see `Container.create()`'s `overrides` and `HeraldFactory.create()`'s).
 */
export type ProviderOverride<T = any> =
  | ClassProvider<T>
  | ValueProvider<T>
  | FactoryProvider<T>
  | ExistingProvider;

/** What `imports` accepts: a module class, a dynamic module, or a promise of a dynamic module. */
export type ModuleImport = Type | DynamicModule | Promise<DynamicModule>;

/** The argument of `@Module()`. */
export interface ModuleMetadata {
  imports?: ModuleImport[];
  controllers?: Type[];
  providers?: Provider[];
  /** Tokens (or providers) of this module, or imported modules to re-export whole. */
  exports?: Array<InjectionToken | Provider | DynamicModule>;
}

/**
 * A module configured at import time, returned by static methods such as `forRoot()`. Its lists
 * are added to those of `@Module()` on `module`; `global: true` makes its exports visible everywhere.
 *
 * @example
 * static forRoot(url: string): DynamicModule {
 *   return { module: DbModule, providers: [{ provide: DB_URL, useValue: url }], exports: [DB_URL] };
 * }
 */
export interface DynamicModule extends ModuleMetadata {
  module: Type;
  global?: boolean;
}
