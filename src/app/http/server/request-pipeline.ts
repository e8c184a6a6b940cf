import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeraldError } from '../../../errors.js';
import { sendError } from '../errors/error-response.js';
import { NotFoundException } from '../errors/exceptions.js';
import type { HeraldRequest } from '../routing/request.js';
import type { Router } from '../routing/router.js';
import { sendJson } from '../send-json.js';
import type { AccessLog } from './access-log.js';
import { type GlobalPrefixOptions, prefixRoutes } from './global-prefix.js';
import type { LoggerLike } from './logger.js';
import { type Middleware, runMiddleware } from './middleware.js';
import { MiddlewareChain } from './middleware-chain.js';

/** @internal What the pipeline needs besides its router. */
export interface PipelineSettings {
  logger: LoggerLike;
  /** `request.ip` for a request, by the app's `trustProxy`. */
  clientAddress: (req: IncomingMessage) => string;
  accessLog?: AccessLog | undefined;
  logRoutes?: boolean | undefined;
}

const ignore = () => undefined;

/**
 * @internal What every request goes through: `request.ip` and the access log, middleware (CORS
 * among it), the routes, an `Allow` answer for OPTIONS, static files, then 404.
 */
export class RequestPipeline {
  readonly middleware = new MiddlewareChain();
  readonly statics: Middleware[] = [];
  /** The metrics endpoint (`app.enableMetrics()`), tried after the routes. */
  metrics: Middleware | undefined;
  #router: Router;
  readonly #s: PipelineSettings;
  #prefix: ((method: string, path: string) => string) | undefined;
  #final = false;
  /** Set while the app closes: answers then ask the client to close the connection. */
  closing = false;

  constructor(router: Router, settings: PipelineSettings) {
    this.#router = router;
    this.#s = settings;
  }

  /** Records the global prefix, applied by {@link finalizeRoutes}. */
  setPrefix(prefix: string, options: GlobalPrefixOptions | undefined): void {
    if (this.#final) {
      throw new HeraldError(
        'INVALID_MODULE',
        'setGlobalPrefix() must be called before init() or listen(): the routes are registered',
      );
    }
    this.#prefix = prefixRoutes(prefix, options);
  }

  /** Applies the global prefix and logs the routes when asked (once, at init). */
  finalizeRoutes(): void {
    if (this.#final) return;
    this.#final = true;
    if (this.#prefix) this.#router = this.#router.remapped(this.#prefix);
    if (!this.#s.logRoutes) return;
    for (const r of this.#router.routes()) {
      this.#s.logger.log(`Mapped ${r.method} ${r.path} (${r.label})`);
    }
  }

  /** The `node:http` request listener. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    // Aborted requests and broken sockets are normal on the Internet; never let them throw.
    req.on('error', ignore);
    res.on('error', ignore);
    // Set before middleware runs, as Express does, so a rate limiter or logger can read it.
    (req as HeraldRequest).ip = this.#s.clientAddress(req);
    this.#s.accessLog?.track(req, res);
    // HTTP/2 has no Connection header (GOAWAY does this); Node would warn and drop it.
    if (this.closing && req.httpVersionMajor === 1) res.setHeader('Connection', 'close');
    this.#dispatch(req, res).catch((err) => sendError(res, err, this.#s.logger));
  }

  async #dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(await this.middleware.run(req, res))) return;
    if (await this.#router.dispatch(req, res)) return;
    if (this.metrics && !(await runMiddleware(this.metrics, req, res))) return;
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'OPTIONS') {
      const allowed = this.#router.allowed(req.url ?? '/');
      if (allowed.length > 0) {
        res.writeHead(204, { Allow: [...allowed, 'OPTIONS'].join(', ') }).end();
        return;
      }
    }
    for (const serve of this.statics) {
      if (!(await runMiddleware(serve, req, res))) return;
    }
    const body = new NotFoundException(`Cannot ${req.method} ${path}`).getBody();
    sendJson(res, 404, body);
  }
}
