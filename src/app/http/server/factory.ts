import type { SseStreamOptions } from '../../../connection/index.js';
import { SseServer } from '../../../connection/index.js';
import { Container } from '../../di/container.js';
import { Module } from '../../di/module.js';
import type { DynamicModule, ProviderOverride, Type } from '../../di/types.js';
import { type ApplicationSettings, HeraldApplication } from './application.js';
import { DEFAULT_BODY_LIMIT } from '../routing/read-body.js';
import type { CorsOptions } from './cors-options.js';
import { GuardResolver } from '../guards/guard-resolver.js';
import { Logger, type LoggerLike, silentLogger } from './logger.js';
import { Reflector } from '../guards/reflector.js';
import { defaultStreamErrors } from '../routing/route-handler.js';
import { registerControllers } from '../routing/register-controllers.js';
import { Router } from '../routing/router.js';
import type { HttpServerOptions } from './server-options.js';
import type { ShutdownOptions } from './shutdown.js';
import { resolveStreamLimits, StreamLimiter, type StreamLimits } from '../limits/stream-limits.js';

/** Options of `HeraldFactory.create()`. */
export interface HeraldApplicationOptions {
  /** A logger (`{ log, error, warn }`), or `false` for none. Default: `new Logger('Herald')`. */
  logger?: false | LoggerLike;
  /** Enables CORS for every route: `true` for the defaults, or options as `enableCors()` takes. */
  cors?: boolean | CorsOptions;
  /** Largest accepted request body in bytes (413 past it). Default 100 KiB. */
  bodyLimit?: number;
  /** App-wide event-stream defaults (heartbeat, retry, maxPendingBytes), under each `@Sse`'s own. */
  sse?: SseStreamOptions;
  /** Caps on open event streams, in total and per client address (503/429 past them). */
  limits?: StreamLimits;
  /** Request-head size and timeouts of the HTTP server (431/408 past them). */
  server?: HttpServerOptions;
  /** The `retry:` hint streams get on close, and the deadline of a signal-driven shutdown. */
  shutdown?: ShutdownOptions;
  /** Providers that replace those under the same token anywhere in the module tree (for tests). */
  overrides?: readonly ProviderOverride[];
}

/** Holds the framework's own providers; global so every module can inject them by type. */
@Module({})
class HeraldCoreModule {}

/**
 * Builds applications from a root module.
 *
 * @example
 * ```ts
 * const app = await HeraldFactory.create(AppModule, { sse: { heartbeat: 10_000 } });
 * app.useStaticAssets(join(import.meta.dirname, 'public'));
 * await app.listen(Number(process.env.PORT ?? 3000));
 * ```
 */
export class HeraldFactory {
  /**
   * Makes every provider and controller of `rootModule` (plus a global `Reflector`), registers the
   * routes, and returns the application, not yet listening. Throws on a DI error or a duplicate route.
   */
  static async create(
    rootModule: Type | DynamicModule,
    options: HeraldApplicationOptions = {},
  ): Promise<HeraldApplication> {
    const logger =
      options.logger === false ? silentLogger : (options.logger ?? new Logger('Herald'));
    const core: DynamicModule = {
      module: HeraldCoreModule,
      global: true,
      providers: [{ provide: Reflector, useValue: new Reflector() }],
      exports: [Reflector],
    };
    const root: DynamicModule =
      typeof rootModule === 'function'
        ? { module: rootModule, imports: [core] }
        : { ...rootModule, imports: [...(rootModule.imports ?? []), core] };
    const container = await Container.create(
      root,
      options.overrides ? { overrides: options.overrides } : {},
    );
    const sse = new SseServer({ ...defaultStreamErrors(logger), ...options.sse });
    const limiter = new StreamLimiter(sse, resolveStreamLimits(options.limits));
    const router = new Router();
    try {
      registerControllers(router, container.controllers(), {
        bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
        logger,
        guards: new GuardResolver(container),
        sseServer: limiter,
      });
    } catch (err) {
      // e.g. two routes on one path: providers already made (a hub's broker) are closed again.
      await container.close('startup-failed').catch(() => undefined);
      throw err;
    }
    const settings: ApplicationSettings = { limiter };
    if (options.server) settings.server = options.server;
    if (options.shutdown) settings.shutdown = options.shutdown;
    const app = new HeraldApplication(container, router, sse, logger, settings);
    if (options.cors) app.enableCors(options.cors === true ? undefined : options.cors);
    return app;
  }
}
