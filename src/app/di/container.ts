import { HeraldError } from '../../errors.js';
import { applyOverrides } from './apply-overrides.js';
import { findProvider } from './find-provider.js';
import { runCloseHooks, runInitHooks } from './lifecycle-hooks.js';
import type { ModuleRecord, ProviderRecord } from './module-record.js';
import { type Dependency, providerDependencies } from './provider-dependencies.js';
import { circularDependency, lostType, missingDependency } from './resolution-errors.js';
import { scanModules } from './scan-modules.js';
import { tokenName } from './token-name.js';
import type { DynamicModule, InjectionToken, ProviderOverride, Type } from './types.js';

/** Options of `Container.create()`. */
export interface ContainerOptions {
  /** Providers that replace those registered under the same token, anywhere in the tree (tests). */
  overrides?: readonly ProviderOverride[];
}

/** Stands for the container itself, which is injectable under the `Container` token. */
const SELF = Symbol('herald:container');

/** One made instance: the provider or controller it came from, and its module. */
export interface ContainerEntry {
  token: InjectionToken;
  instance: object;
  module: Type;
  controller: boolean;
}

/**
 * The application's dependency-injection container. `create()` scans the module tree and makes
 * every provider and controller eagerly, dependencies first (one instance per provider per app);
 * `init()` and `close()` run the lifecycle hooks. The container is itself injectable under the
 * `Container` token.
 *
 * @example
 * const container = await Container.create(AppModule);
 * await container.init();
 * const tasks = container.get(TaskService);
 * await container.close('SIGTERM');
 */
export class Container {
  readonly #modules: readonly ModuleRecord[];
  readonly #globals: readonly ModuleRecord[];
  /** Distinct object instances in the order they were finished: dependencies first. */
  readonly #entries: ContainerEntry[] = [];
  readonly #seen = new Set<object>();
  #initialized: Promise<void> | undefined;
  #closed: Promise<void> | undefined;

  private constructor(modules: readonly ModuleRecord[]) {
    this.#modules = modules;
    this.#globals = modules.filter((m) => m.global);
  }

  /**
   * Scans `rootModule`, applies `overrides`, then makes every provider and controller. Throws a
   * `HeraldError` (`INVALID_MODULE`, `MISSING_DEPENDENCY`, `CIRCULAR_DEPENDENCY`) naming what is wrong.
   */
  static async create(
    rootModule: Type | DynamicModule,
    options: ContainerOptions = {},
  ): Promise<Container> {
    const modules = await scanModules(rootModule);
    if (options.overrides) applyOverrides(modules, options.overrides);
    const container = new Container(modules);
    container.#planAll();
    try {
      for (const module of container.#modules) {
        for (const record of module.providers.values()) await container.#make(record, []);
        for (const record of module.controllers) await container.#make(record, []);
      }
    } catch (err) {
      // A constructor or factory failed: what was already made (a broker's connections, timers)
      // is closed, so a failed start leaves nothing open that would keep the process alive.
      await container.close('startup-failed').catch(() => undefined);
      throw err;
    }
    return container;
  }

  /**
   * The instance registered under `token`: first as the root module sees it, then from any
   * module that provides it, then a controller of that class. Throws `MISSING_DEPENDENCY` when no module provides it.
   */
  get<T = unknown>(token: InjectionToken<T>): T {
    if ((token as unknown) === Container) return this as unknown as T;
    const root = this.#modules.at(-1) as ModuleRecord;
    const record =
      findProvider(root, token, this.#globals) ??
      this.#modules.map((m) => m.providers.get(token)).find((r) => r !== undefined) ??
      this.#modules.flatMap((m) => m.controllers).find((r) => r.token === token);
    if (!record) {
      throw new HeraldError(
        'MISSING_DEPENDENCY',
        `Container.get(${tokenName(token)}): no module provides ${tokenName(token)}.`,
      );
    }
    return record.instance as T;
  }

  /** Every controller with its instance and module, in module-scan order (imports first). */
  controllers(): Array<{ type: Type; instance: object; module: Type }> {
    return this.#modules.flatMap((module) =>
      module.controllers.map((record) => ({
        type: record.token as Type,
        instance: record.instance as object,
        module: module.type,
      })),
    );
  }

  /** Every distinct object instance (providers and controllers), dependencies first. */
  instances(): readonly ContainerEntry[] {
    return this.#entries;
  }

  /**
   * Runs `onContainerInit(container)` of extensions, then `onModuleInit()` of every instance,
   * dependencies first, each awaited. Runs once; later calls return the same promise.
   */
  init(): Promise<void> {
    this.#initialized ??= runInitHooks(this, this.#entries);
    return this.#initialized;
  }

  /**
   * Runs, dependents first: `onContainerClose`, `onModuleDestroy()`, then
   * `beforeApplicationShutdown(signal)`, then `onApplicationShutdown(signal)`, each awaited. A
   * throwing hook does not stop the others; its error is thrown once all have run. Runs once;
   * later calls return the same promise.
   */
  close(signal?: string): Promise<void> {
    this.#closed ??= (async () => {
      await this.#initialized?.catch(() => undefined);
      await runCloseHooks(this, this.#entries, signal);
    })();
    return this.#closed;
  }

  /**
   * Walks the whole graph before any constructor runs, so a missing or circular dependency fails
   * the start without side effects. Controllers go first: they are the graph's entry points, so
   * an error names the longest chain (`AppController -> EventService -> Mailer`).
   */
  #planAll(): void {
    const planned = new Set<ProviderRecord>();
    const visit = (record: ProviderRecord, chain: string[], path: ProviderRecord[]): void => {
      if (planned.has(record)) return;
      const name = tokenName(record.token);
      if (path.includes(record)) throw circularDependency(chain, path.indexOf(record));
      chain.push(name);
      path.push(record);
      for (const dep of providerDependencies(record, chain)) {
        const target = this.#lookup(dep, record.module, chain);
        if (target !== undefined && target !== SELF) visit(target, chain, path);
      }
      chain.pop();
      path.pop();
      planned.add(record);
    };
    for (const module of this.#modules) for (const r of module.controllers) visit(r, [], []);
    for (const module of this.#modules) for (const r of module.providers.values()) visit(r, [], []);
  }

  /** Makes `record` after its dependencies (the plan guarantees they resolve and do not cycle). */
  async #make(record: ProviderRecord, chain: string[]): Promise<unknown> {
    if (record.made) return record.instance;
    chain.push(tokenName(record.token));
    const args: unknown[] = [];
    for (const dep of providerDependencies(record, chain)) {
      const target = this.#lookup(dep, record.module, chain);
      if (target === SELF) args.push(this);
      else args.push(target === undefined ? undefined : await this.#make(target, chain));
    }
    chain.pop();
    const { recipe } = record;
    if (recipe.kind === 'value') record.instance = recipe.value;
    else if (recipe.kind === 'existing') record.instance = args[0];
    else if (recipe.kind === 'factory') record.instance = await recipe.factory(...args);
    else record.instance = new recipe.type(...args);
    record.made = true;
    this.#remember(record);
    return record.instance;
  }

  /** The provider a dependency names as its module sees it, the container itself, or undefined if optional. */
  #lookup(
    dep: Dependency,
    module: ModuleRecord,
    chain: string[],
  ): ProviderRecord | typeof SELF | undefined {
    if (dep.token === undefined) {
      if (dep.optional) return undefined;
      throw lostType(chain, dep.slot);
    }
    if (dep.token === Container) return SELF;
    const record = findProvider(module, dep.token, this.#globals);
    if (record || dep.optional) return record;
    throw missingDependency(chain, dep.slot, dep.token, module, this.#modules);
  }

  #remember(record: ProviderRecord): void {
    const instance = record.instance;
    // Aliases and repeated values share an instance: its hooks must run once.
    if (instance === null || typeof instance !== 'object' || this.#seen.has(instance)) return;
    if (record.recipe.kind === 'existing') return;
    this.#seen.add(instance);
    this.#entries.push({
      token: record.token,
      instance,
      module: record.module.type,
      controller: record.module.controllers.includes(record),
    });
  }
}
