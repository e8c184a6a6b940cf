import sirv from 'sirv';
import type { Middleware } from './middleware.js';

/** Options of `app.useStaticAssets()`. */
export interface StaticAssetsOptions {
  /** URL prefix the files are served under (default `/`). */
  prefix?: string;
  /** `Cache-Control: max-age` in seconds (default none). */
  maxAge?: number;
}

/**
 * A middleware serving the files of `dir` (GET and HEAD only), with ETags, `index.html` for
 * directories, and no dotfiles. The file list is taken once at startup, so no URL (`..`, encoded
 * slashes) can reach a file outside `dir`; files added later are not served.
 */
export function staticAssets(dir: string, options: StaticAssetsOptions = {}): Middleware {
  const prefix = `/${(options.prefix ?? '').replace(/^\/+|\/+$/g, '')}`;
  const serve = sirv(dir, {
    etag: true,
    dotfiles: false,
    ...(options.maxAge !== undefined ? { maxAge: options.maxAge } : {}),
  });
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const url = req.url ?? '/';
    if (prefix === '/') return serve(req, res, () => next());
    if (url !== prefix && !url.startsWith(`${prefix}/`) && !url.startsWith(`${prefix}?`)) {
      return next();
    }
    // sirv resolves against the URL it is given; strip the prefix for it and restore it after.
    req.url = url.slice(prefix.length) || '/';
    if (req.url.startsWith('?')) req.url = `/${req.url}`;
    try {
      serve(req, res, () => {
        req.url = url;
        next();
      });
    } finally {
      req.url = url;
    }
  };
}
