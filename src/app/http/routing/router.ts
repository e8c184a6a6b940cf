import type { IncomingMessage, ServerResponse } from 'node:http';
import FindMyWay from 'find-my-way';
import { HeraldError } from '../../../errors.js';
import type { RouteRuntime } from './route-handler.js';
import { runRoute } from './route-handler.js';
import type { HeraldRequest } from './request.js';

/** One registered route: its method and path as registered, and who handles it. */
interface RouteEntry {
  method: string;
  path: string;
  /** `Controller.method`. */
  label: string;
  rt: RouteRuntime;
}

/** Methods probed to build an `Allow` header for OPTIONS. */
const PROBED = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Maps method + path to routes with find-my-way. A trailing slash is ignored (as Express and NestJS
 * do by default); every GET route also answers HEAD.
 */
export class Router {
  readonly #fmw = FindMyWay({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true });
  readonly #routes: RouteEntry[] = [];

  /** Registers a route; a duplicate method + path fails the application's start. */
  add(method: string, path: string, rt: RouteRuntime, label: string): void {
    this.#routes.push({ method, path, label, rt });
    const methods = method === 'GET' ? ['GET', 'HEAD'] : [method];
    for (const m of methods) {
      try {
        this.#fmw.on(m as 'GET', path, () => undefined, rt);
      } catch (err) {
        throw new HeraldError(
          'INVALID_MODULE',
          `Cannot register ${m} ${path} (${label}): ${(err as Error).message}`,
          { cause: err },
        );
      }
    }
  }

  /** Every route registered, in registration order (for the route log). */
  routes(): ReadonlyArray<Omit<RouteEntry, 'rt'>> {
    return this.#routes.map(({ method, path, label }) => ({ method, path, label }));
  }

  /**
   * A router with the same routes at the paths `pathOf` gives them (the global prefix, applied
   * when the app initializes). Fails like `add()` when two routes then share a method and path.
   */
  remapped(pathOf: (method: string, path: string) => string): Router {
    const router = new Router();
    for (const r of this.#routes) router.add(r.method, pathOf(r.method, r.path), r.rt, r.label);
    return router;
  }

  /**
   * Runs the matching route and resolves true, or resolves false when none matches (the caller
   * then tries static files, then answers 404).
   */
  async dispatch(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const found = this.#fmw.find(req.method as 'GET', req.url ?? '/');
    if (found === null) return false;
    const hreq = req as HeraldRequest;
    hreq.params = { ...(found.params as Record<string, string>) };
    hreq.query = { ...(found.searchParams as Record<string, string | string[]>) };
    await runRoute(found.store as RouteRuntime, hreq, res);
    return true;
  }

  /** The methods routed for the request's path (for `Allow` on OPTIONS), empty when none. */
  allowed(url: string): string[] {
    return PROBED.filter((m) => this.#fmw.find(m, url) !== null);
  }
}
