import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegistryLike } from './registry-like.js';

/**
 * A Connect-style middleware answering GET and HEAD on `path` with the registry's text format
 * (so the app's own metrics come with Herald's); anything else goes on to `next()`.
 */
export function metricsEndpoint(path: string, registry: RegistryLike) {
  return (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void => {
    const method = req.method;
    if ((method !== 'GET' && method !== 'HEAD') || (req.url ?? '/').split('?')[0] !== path) {
      next();
      return;
    }
    registry.metrics().then((text) => {
      res.writeHead(200, {
        'Content-Type': registry.contentType,
        'Content-Length': Buffer.byteLength(text),
        'Cache-Control': 'no-store',
      });
      res.end(method === 'HEAD' ? undefined : text);
    }, next);
  };
}
