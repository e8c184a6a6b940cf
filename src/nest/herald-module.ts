import type { DynamicModule, Provider } from '@nestjs/common';
import { Hub, type HubOptions } from '../hub/hub.js';
import { Runs } from '../hub/runs/runs.js';
import {
  HERALD_MODULE_OPTIONS,
  type HeraldModuleAsyncOptions,
  type HeraldModuleOptions,
} from './herald-options.js';
import { HeraldStreams } from './herald-streams.js';
import { common } from './nest-peers.js';

/**
 * Herald in a NestJS application: a global module providing one `Hub` and `Runs` on the same
 * broker (inject them by their classes), and the engine `herald/nest`'s `@Sse` routes stream
 * through. On Nest's shutdown it ends every stream with a spread retry hint, then closes the runs
 * and the hub.
 *
 * @example
 * @Module({ imports: [HeraldModule.forRoot({ history: { maxEvents: 10_000 } })], controllers: [NewsController] })
 * export class AppModule {}
 */
@common.Global()
@common.Module({})
export class HeraldModule {
  /** The module with a hub and streams made from `options`. */
  static forRoot(options: HeraldModuleOptions = {}): DynamicModule {
    return withOptions({ provide: HERALD_MODULE_OPTIONS, useValue: options }, []);
  }

  /**
   * The module with options made by `useFactory` (which may inject providers of `imports`, e.g.
   * a config service, and be async).
   *
   * @example
   * HeraldModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({ broker: new RedisBroker({ url: config.get('REDIS_URL') }) }),
   * })
   */
  static forRootAsync(options: HeraldModuleAsyncOptions): DynamicModule {
    const provider = {
      provide: HERALD_MODULE_OPTIONS,
      useFactory: options.useFactory,
      inject: options.inject ?? [],
    } as Provider;
    return withOptions(provider, (options.imports ?? []) as DynamicModule['imports'] & []);
  }
}

function withOptions(
  options: Provider,
  imports: NonNullable<DynamicModule['imports']>,
): DynamicModule {
  return {
    module: HeraldModule,
    global: true,
    imports,
    providers: [
      options,
      {
        provide: Hub,
        useFactory: (o: HeraldModuleOptions) => new Hub(hubOptions(o)),
        inject: [HERALD_MODULE_OPTIONS],
      },
      {
        provide: Runs,
        useFactory: (o: HeraldModuleOptions, hub: Hub) => new Runs(hub, o.runs),
        inject: [HERALD_MODULE_OPTIONS, Hub],
      },
      HeraldStreams,
    ],
    exports: [Hub, Runs, HeraldStreams, HERALD_MODULE_OPTIONS],
  };
}

/** The hub's share of the module's options. */
function hubOptions({
  sse: _sse,
  limits: _limits,
  shutdown: _shutdown,
  runs: _runs,
  ...hub
}: HeraldModuleOptions): HubOptions {
  return hub;
}
