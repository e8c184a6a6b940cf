import { HeraldError } from '../../../errors.js';
import type { RouteMethod } from '../routing/route-decorators.js';

/**
 * NestJS's `RequestMethod`, with string values: code written as
 * `{ path: 'health', method: RequestMethod.GET }` runs unchanged.
 */
export const RequestMethod = {
  GET: 'GET',
  POST: 'POST',
  PUT: 'PUT',
  DELETE: 'DELETE',
  PATCH: 'PATCH',
  HEAD: 'HEAD',
  ALL: 'ALL',
} as const;

/** A route named by path and method, as `setGlobalPrefix`'s `exclude` takes it. */
export interface RouteInfo {
  /** The route's path without the prefix (`'health'`, `'users/:id'`, `'docs/*'`). */
  path: string;
  /** One method, or `'ALL'`. */
  method: RouteMethod | 'HEAD' | 'ALL';
}

/** Options of `app.setGlobalPrefix()`. */
export interface GlobalPrefixOptions {
  /**
   * Routes kept outside the prefix: a path (every method) or `{ path, method }`. A `:name` segment
   * matches any one segment; a last segment `*` (or `*name`, `{*name}`, `(.*)`) matches the rest.
   */
  exclude?: ReadonlyArray<string | RouteInfo>;
}

/** Splits a path into its non-empty segments. */
const segments = (path: string): string[] => path.split('/').filter((s) => s !== '');
const REST = /^(\*\w*|\{\*\w+\}|\(\.\*\))$/;

function matches(pattern: string[], route: string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (i === pattern.length - 1 && REST.test(p)) return true;
    const r = route[i];
    if (r === undefined || (!p.startsWith(':') && p !== r)) return false;
  }
  return pattern.length === route.length;
}

/**
 * The function that gives each route its registered path: `/${prefix}${path}`, except for routes
 * `exclude` names. `prefix` is normalized as NestJS does (`'api/'` -> `/api`).
 */
export function prefixRoutes(
  prefix: string,
  options: GlobalPrefixOptions = {},
): (method: string, path: string) => string {
  if (typeof prefix !== 'string') {
    throw new HeraldError(
      'INVALID_MODULE',
      `setGlobalPrefix() takes a string, got ${typeof prefix}`,
    );
  }
  const base = segments(prefix).join('/');
  const excluded = (options.exclude ?? []).map((e) =>
    typeof e === 'string'
      ? { method: 'ALL', pattern: segments(e) }
      : { method: String(e.method).toUpperCase(), pattern: segments(e.path) },
  );
  return (method, path) => {
    const route = segments(path);
    const out = excluded.some(
      (e) => (e.method === 'ALL' || e.method === method) && matches(e.pattern, route),
    );
    if (out || base === '') return path;
    return `/${base}${path === '/' ? '' : path}`;
  };
}
