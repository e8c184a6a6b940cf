import { HeraldError } from '../../../errors.js';
import { METADATA } from '../../metadata-keys.js';
import type { GuardResolver } from '../guards/guard-resolver.js';
import type { GuardLike } from '../guards/guards.js';
import type { LoggerLike } from '../server/logger.js';
import { planParams } from './params.js';
import type { RouteDefinition } from './route-decorators.js';
import { type RouteRuntime, type SseOpener, sseOptions } from './route-handler.js';
import type { Router } from './router.js';
import type { ValidationOptions } from './validation.js';

/** A controller as the container hands it over. */
export interface ControllerEntry {
  type: new (...args: never[]) => unknown;
  instance: unknown;
}

/** App-wide settings every route shares. */
export interface RouteSettings {
  bodyLimit: number;
  validation: Required<ValidationOptions>;
  logger: LoggerLike;
  guards: GuardResolver;
  sseServer: SseOpener;
}

/** Reads the route metadata of every controller and registers each route on `router`. */
export function registerControllers(
  router: Router,
  controllers: ControllerEntry[],
  settings: RouteSettings,
): void {
  for (const { type, instance } of controllers) {
    const meta: { prefixes: string[] } | undefined = Reflect.getMetadata(METADATA.CONTROLLER, type);
    if (!meta) {
      throw new HeraldError(
        'INVALID_MODULE',
        `${type.name} is listed in controllers but has no @Controller()`,
      );
    }
    const routes: RouteDefinition[] = Reflect.getMetadata(METADATA.ROUTES, type.prototype) ?? [];
    const classGuards: GuardLike[] = Reflect.getMetadata(METADATA.GUARDS, type) ?? [];
    for (const def of routes) {
      const rt = runtime(type, instance as object, def, classGuards, settings);
      for (const prefix of meta.prefixes) {
        for (const path of def.paths) {
          router.add(def.method, joinPath(prefix, path), rt, `${type.name}.${String(def.handler)}`);
        }
      }
    }
  }
}

function runtime(
  type: ControllerEntry['type'],
  instance: object,
  def: RouteDefinition,
  classGuards: GuardLike[],
  s: RouteSettings,
): RouteRuntime {
  const handler = (type.prototype as Record<string | symbol, (...a: unknown[]) => unknown>)[
    def.handler
  ]!;
  const methodGuards: GuardLike[] = Reflect.getMetadata(METADATA.GUARDS, handler) ?? [];
  const code: number | undefined = Reflect.getMetadata(METADATA.HTTP_CODE, handler);
  const headers: Record<string, string> | undefined = Reflect.getMetadata(
    METADATA.HEADERS,
    handler,
  );
  return {
    controller: type,
    instance,
    handler,
    method: def.method,
    params: planParams(type, def.handler),
    guards: [...classGuards, ...methodGuards].map((g) => s.guards.resolve(g)),
    status: code ?? (def.method === 'POST' ? 201 : 200),
    headers,
    sse: def.sse ? sseOptions(def.sse, code, headers) : undefined,
    bodyLimit: s.bodyLimit,
    validation: s.validation,
    logger: s.logger,
    sseServer: s.sseServer,
  };
}

/** `'/api/'` + `'tasks/:id'` -> `'/api/tasks/:id'`; empty -> `'/'`. */
export function joinPath(prefix: string, path: string): string {
  const parts = [prefix, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter((p) => p !== '');
  return `/${parts.join('/')}`;
}
