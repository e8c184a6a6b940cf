import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkMiddleware, type Middleware, runMiddleware } from './middleware.js';

/**
 * The app's middleware, run in registration order before routing, as Express and NestJS run
 * `app.use()`. CORS holds one place in that order: where `enableCors()` was first called (the
 * factory's `cors` option calls it before any `use()`); calling it again replaces its options there.
 */
export class MiddlewareChain {
  readonly #list: Middleware[] = [];
  #corsAt = -1;

  /** Appends middleware, refusing what is not a `(req, res, next)` function. */
  use(middleware: readonly unknown[]): void {
    for (const mw of middleware) checkMiddleware(mw);
    this.#list.push(...(middleware as Middleware[]));
  }

  /** Sets the CORS middleware, in its first place. */
  setCors(mw: Middleware): void {
    if (this.#corsAt === -1) this.#corsAt = this.#list.push(mw) - 1;
    else this.#list[this.#corsAt] = mw;
  }

  /** Resolves `true` when every middleware passed the request on, `false` once one answered it. */
  async run(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    for (const mw of this.#list) {
      if (!(await runMiddleware(mw, req, res))) return false;
    }
    return true;
  }
}
