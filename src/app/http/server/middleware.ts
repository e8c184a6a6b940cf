import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeraldError } from '../../../errors.js';
import { HttpException, statusText } from '../errors/http-exception.js';

/**
 * A Connect/Express-style middleware: `helmet()`, `compression()`, `cors()`, `morgan()` and most of
 * the Express ecosystem have this shape. It calls `next()` to pass the request on, `next(err)` to
 * fail it, or answers the request itself. It may be `async` (a rejection counts as `next(err)`).
 */
export type Middleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => unknown;

/**
 * What `app.use()` accepts: any `(req, res, next)` function. Loosely typed on purpose: Express
 * packages declare Express's `Request`/`Response` (e.g. `@types/compression`), which a
 * `node:http` request does not satisfy by type, yet they only use what Node provides.
 */
export type AnyMiddleware = (req: any, res: any, next: (err?: any) => void) => unknown;

/**
 * Checks what `app.use()` was given: a function of at most three parameters. Express's
 * four-parameter error handlers are refused rather than run as ordinary middleware (they would
 * receive `req` as `err` and fail obscurely); errors are answered as JSON by Herald instead.
 */
export function checkMiddleware(mw: unknown): asserts mw is Middleware {
  if (typeof mw !== 'function') {
    throw new HeraldError(
      'INVALID_MODULE',
      `app.use() takes middleware functions (req, res, next); got ${typeof mw}` +
        (typeof mw === 'string' ? ' (a mount path is not supported: check req.url inside)' : ''),
    );
  }
  if (mw.length >= 4) {
    throw new HeraldError(
      'INVALID_MODULE',
      `app.use(${mw.name || 'middleware'}) has 4 parameters: error-handling middleware ` +
        '(err, req, res, next) is not supported; Herald answers errors as JSON (throw an HttpException)',
    );
  }
}

/**
 * Runs a middleware and resolves `true` when it calls `next()` (the request goes on), `false` when
 * it answered the request itself (a CORS preflight, a static file). Rejects with what it passes to
 * `next(err)`, throws or rejects with.
 */
export function runMiddleware(
  mw: Middleware,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (ok: boolean, err?: unknown) => {
      if (settled) return;
      settled = true;
      res.off('finish', answered);
      res.off('close', answered);
      if (err !== undefined && err !== null) reject(middlewareError(err));
      else resolve(ok);
    };
    const answered = () => settle(false);
    res.once('finish', answered);
    res.once('close', answered);
    try {
      const result = mw(req, res, (err) => settle(true, err));
      if (result instanceof Promise)
        result.catch((err: unknown) => settle(true, err ?? 'rejected'));
    } catch (err) {
      settle(true, err ?? 'thrown');
    }
  });
}

/**
 * An error from the Express ecosystem (http-errors, body-parser, a rate limiter) carries its
 * status in `status`/`statusCode`, and says with `expose` whether its message is for the client:
 * a 4xx is answered with that status, as Express's final handler does. A 5xx stays an unknown
 * error (500, logged with its stack), since it reports a fault of the server.
 */
function middlewareError(err: unknown): unknown {
  if (err instanceof HttpException || typeof err !== 'object' || err === null) return err;
  const e = err as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return err;
  const message =
    e.expose === true && typeof e.message === 'string' ? e.message : statusText(status);
  return new HttpException(message, status, { cause: err });
}
