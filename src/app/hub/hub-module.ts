import { Hub, type HubOptions } from '../../hub/hub.js';
import { Runs, type RunsOptions } from '../../hub/runs/runs.js';
import { Module } from '../di/module.js';
import type { DynamicModule } from '../di/types.js';
import { APP_LOGGER, type LoggerLike } from '../http/server/logger.js';

/** Options of `HubModule.forRoot()`: those of `new Hub()`, plus `runs` and `global`. */
export interface HubModuleOptions extends HubOptions {
  /** Make `Hub` and `Runs` injectable in every module without importing this one. Default true. */
  global?: boolean;
  /** Options of the `Runs` provided with the hub (resumable runs, on the hub's broker). */
  runs?: RunsOptions;
}

/**
 * Provides one `Hub` for the application (a global module by default), closed with the app, and
 * `Runs` on the same broker (closed before the hub). A broker that cannot start (Redis down at
 * boot) is reported on the app's logger once, and once more when it comes up; the hub retries in
 * between.
 *
 * @example
 * @Module({ imports: [HubModule.forRoot({ history: { maxEvents: 5000 } })], controllers: [NewsController] })
 * export class AppModule {}
 */
@Module({})
export class HubModule {
  /** The module with a hub made from `options`. */
  static forRoot(options: HubModuleOptions = {}): DynamicModule {
    const { global = true, runs, ...hubOptions } = options;
    return {
      module: HubModule,
      global,
      providers: [
        {
          provide: Hub,
          useFactory: (logger: LoggerLike | undefined) =>
            new Hub({ ...hubOptions, onBrokerState: reportOn(logger, hubOptions.onBrokerState) }),
          // Optional: a Container used without HeraldFactory has no app logger.
          inject: [{ token: APP_LOGGER, optional: true }],
        },
        { provide: Runs, useFactory: (hub: Hub) => new Runs(hub, runs), inject: [Hub] },
      ],
      exports: [Hub, Runs],
    };
  }
}

function reportOn(
  logger: LoggerLike | undefined,
  own: HubOptions['onBrokerState'],
): NonNullable<HubOptions['onBrokerState']> {
  return (state, error) => {
    if (state === 'unavailable') {
      const why = error instanceof Error ? error.message : String(error);
      logger?.warn(
        `Hub broker unavailable (${why}); retrying in the background. ` +
          'Publishes and subscribes answer 503 until it is up',
      );
    } else {
      logger?.log('Hub broker is up; publishes and subscribes work again');
    }
    own?.(state, error);
  };
}
