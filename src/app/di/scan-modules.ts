import 'reflect-metadata';
import { HeraldError } from '../../errors.js';
import { METADATA } from '../metadata-keys.js';
import type { ModuleRecord, ProviderRecipe, ProviderRecord } from './module-record.js';
import { normalizeProvider } from './normalize-provider.js';
import { tokenName } from './token-name.js';
import type { DynamicModule, ModuleMetadata, Type } from './types.js';

/**
 * Walks the module tree from `root` (awaiting promised dynamic modules) and returns every module
 * once, in scan order: a module's imports before the module itself, so the root comes last.
 * A static module is identified by its class, a dynamic module by its object; an import cycle
 * between modules is allowed (each is scanned once).
 */
export async function scanModules(root: Type | DynamicModule): Promise<ModuleRecord[]> {
  const byKey = new Map<object, ModuleRecord>();
  const ordered: ModuleRecord[] = [];
  const declaredExports = new Map<ModuleRecord, unknown[]>();

  async function visit(entry: unknown, where: string): Promise<ModuleRecord> {
    const resolved = isThenable(entry) ? await entry : entry;
    const { type, dynamic } = asModule(resolved, where);
    const key: object = dynamic ?? type;
    const known = byKey.get(key);
    if (known) return known;
    const record: ModuleRecord = {
      type,
      global:
        Reflect.getMetadata(METADATA.GLOBAL_MODULE, type) === true || dynamic?.global === true,
      imports: [],
      providers: new Map(),
      controllers: [],
      exportedTokens: new Set(),
      exportedModules: new Set(),
    };
    byKey.set(key, record);
    const meta: ModuleMetadata = Reflect.getMetadata(METADATA.MODULE, type) ?? {};
    const imports = [...(meta.imports ?? []), ...(dynamic?.imports ?? [])];
    for (const [i, imported] of imports.entries()) {
      record.imports.push(await visit(imported, `import #${i} of ${type.name}`));
    }
    for (const provider of [...(meta.providers ?? []), ...(dynamic?.providers ?? [])]) {
      const { token, recipe } = normalizeProvider(provider, type.name);
      record.providers.set(token, makeRecord(token, recipe, record));
    }
    for (const controller of [...(meta.controllers ?? []), ...(dynamic?.controllers ?? [])]) {
      if (typeof controller !== 'function') {
        throw new HeraldError(
          'INVALID_MODULE',
          `A controller of ${type.name} is ${String(controller)}, not a class. A circular file import can cause this.`,
        );
      }
      record.controllers.push(makeRecord(controller, { kind: 'class', type: controller }, record));
    }
    declaredExports.set(record, [...(meta.exports ?? []), ...(dynamic?.exports ?? [])]);
    ordered.push(record);
    return record;
  }

  await visit(root, 'the root module');
  for (const [record, exports] of declaredExports) resolveExports(record, exports, byKey);
  return ordered;
}

function makeRecord(
  token: ProviderRecord['token'],
  recipe: ProviderRecipe,
  module: ModuleRecord,
): ProviderRecord {
  return { token, recipe, module, made: false, instance: undefined };
}

function asModule(entry: unknown, where: string): { type: Type; dynamic?: DynamicModule } {
  if (typeof entry === 'function') {
    if (!Reflect.hasMetadata(METADATA.MODULE, entry)) {
      throw new HeraldError(
        'INVALID_MODULE',
        `${entry.name || 'An anonymous class'} (${where}) is not a module: decorate it with @Module().`,
      );
    }
    return { type: entry as Type };
  }
  if (
    entry !== null &&
    typeof entry === 'object' &&
    typeof (entry as DynamicModule).module === 'function'
  ) {
    return { type: (entry as DynamicModule).module, dynamic: entry as DynamicModule };
  }
  throw new HeraldError(
    'INVALID_MODULE',
    `${where} is ${describe(entry)}, not a module class or a dynamic module ({ module, ... }).` +
      (entry === undefined ? ' A circular file import can cause this.' : ''),
  );
}

/** Sorts each `exports` entry into a re-exported module or an exported token, and checks it. */
function resolveExports(
  record: ModuleRecord,
  exports: unknown[],
  byKey: Map<object, ModuleRecord>,
) {
  for (const entry of exports) {
    const asImport =
      entry !== null && (typeof entry === 'object' || typeof entry === 'function')
        ? byKey.get(entry as object)
        : undefined;
    const imported = record.imports.find(
      (m) => m === asImport || (typeof entry === 'function' && m.type === entry),
    );
    if (imported) {
      record.exportedModules.add(imported);
      continue;
    }
    if (
      (typeof entry === 'function' && Reflect.hasMetadata(METADATA.MODULE, entry)) ||
      (entry !== null && typeof entry === 'object' && 'module' in entry)
    ) {
      const name =
        typeof entry === 'function' ? entry.name : tokenName((entry as DynamicModule).module);
      throw new HeraldError(
        'INVALID_MODULE',
        `${record.type.name} exports the module ${name} without importing it. Add it to the imports of ${record.type.name}.`,
      );
    }
    const token =
      entry !== null && typeof entry === 'object' && 'provide' in entry
        ? (entry as { provide: ProviderRecord['token'] }).provide
        : (entry as ProviderRecord['token']);
    if (!record.providers.has(token) && !record.imports.some((m) => exportsToken(m, token))) {
      throw new HeraldError(
        'INVALID_MODULE',
        `${record.type.name} exports ${tokenName(token)}, which is neither one of its providers nor exported by a module it imports.`,
      );
    }
    record.exportedTokens.add(token);
  }
}

function exportsToken(
  module: ModuleRecord,
  token: ProviderRecord['token'],
  seen = new Set<ModuleRecord>(),
): boolean {
  if (seen.has(module)) return false;
  seen.add(module);
  return (
    module.exportedTokens.has(token) ||
    [...module.exportedModules].some((m) => exportsToken(m, token, seen))
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'object') return `an object (${JSON.stringify(Object.keys(value))})`;
  return `${typeof value} ${String(value)}`;
}
