import type { IncomingMessage } from 'node:http';
import { SseServer } from '../../../connection/index.js';
import { Container } from '../../di/container.js';
import { Module } from '../../di/module.js';
import type { DynamicModule, Type } from '../../di/types.js';
import { GuardResolver } from '../guards/guard-resolver.js';
import { Reflector } from '../guards/reflector.js';
import { resolveStreamLimits, StreamLimiter } from '../limits/stream-limits.js';
import { DEFAULT_BODY_LIMIT } from '../routing/read-body.js';
import { registerControllers } from '../routing/register-controllers.js';
import { defaultStreamErrors } from '../routing/route-handler.js';
import { Router } from '../routing/router.js';
import { DEFAULT_VALIDATION } from '../routing/validation.js';
import { AccessLog } from './access-log.js';
import { type ApplicationSettings, HeraldApplication } from './application.js';
import type { HeraldApplicationOptions } from './application-options.js';
import { checkOptions } from './check-options.js';
import { APP_LOGGER, Logger, type LoggerLike, silentLogger } from './logger.js';
import { clientAddressOf } from './trust-proxy.js';

export type { HeraldApplicationOptions } from './application-options.js';

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
   * routes, and returns the application, not yet listening. Throws on an unknown option, a DI
   * error or a duplicate route.
   */
  static async create(
    rootModule: Type | DynamicModule,
    options: HeraldApplicationOptions = {},
  ): Promise<HeraldApplication> {
    checkOptions(options);
    const logger: LoggerLike =
      options.logger === false ? silentLogger : (options.logger ?? new Logger());
    // Before any provider exists: a malformed trustProxy fails the start with nothing to close.
    const clientAddress = clientAddressOf(options.trustProxy);
    const core: DynamicModule = {
      module: HeraldCoreModule,
      global: true,
      providers: [
        { provide: Reflector, useValue: new Reflector() },
        { provide: APP_LOGGER, useValue: logger },
      ],
      exports: [Reflector, APP_LOGGER],
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
    const ipOf = (req: IncomingMessage) => (req as { ip?: string }).ip ?? clientAddress(req);
    const limiter = new StreamLimiter(sse, resolveStreamLimits(options.limits, ipOf));
    const router = new Router();
    try {
      registerControllers(router, container.controllers(), {
        bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
        validation: { ...DEFAULT_VALIDATION, ...options.validation },
        logger,
        guards: new GuardResolver(container),
        sseServer: limiter,
      });
    } catch (err) {
      // e.g. two routes on one path: providers already made (a hub's broker) are closed again.
      await container.close('startup-failed').catch(() => undefined);
      throw err;
    }
    const settings: ApplicationSettings = { limiter, clientAddress };
    if (options.accessLog) settings.accessLog = new AccessLog(options.accessLog, logger, sse);
    if (options.logRoutes) settings.logRoutes = true;
    if (options.server) settings.server = options.server;
    if (options.https) settings.https = options.https;
    if (options.http2 !== undefined) settings.http2 = options.http2;
    if (options.shutdown) settings.shutdown = options.shutdown;
    const app = new HeraldApplication(container, router, sse, logger, settings);
    if (options.cors) app.enableCors(options.cors === true ? undefined : options.cors);
    return app;
  }
}
