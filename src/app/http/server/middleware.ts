import type { IncomingMessage, ServerResponse } from 'node:http';

/** A Connect-style middleware, the shape `cors` and `sirv` have. */
export type Middleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

/**
 * Runs a middleware and resolves `true` when it calls `next()` (the request goes on), `false` when
 * it answered the request itself (a CORS preflight, a static file). Rejects with what it passes to
 * `next(err)` or throws.
 */
export function runMiddleware(
  mw: Middleware,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const settle = (ok: boolean, err?: unknown) => {
      res.off('finish', answered);
      res.off('close', answered);
      if (err !== undefined && err !== null) reject(err);
      else resolve(ok);
    };
    const answered = () => settle(false);
    res.once('finish', answered);
    res.once('close', answered);
    try {
      mw(req, res, (err) => settle(true, err));
    } catch (err) {
      settle(true, err);
    }
  });
}
