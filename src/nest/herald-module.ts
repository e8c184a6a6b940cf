import type { DynamicModule, Provider } from '@nestjs/common';
import { Hub, type HubOptions } from '../hub/hub.js';
import { Runs } from '../hub/runs/runs.js';
import { loadPromClient } from '../metrics/load-prom-client.js';
import {
  HERALD_METRICS_OPTIONS,
  HeraldMetricsRegistration,
  type HeraldMetricsModuleOptions,
  metricsController,
} from './herald-metrics.js';
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
    return withOptions({ provide: HERALD_MODULE_OPTIONS, useValue: options }, [], options.metrics);
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
    return withOptions(
      provider,
      (options.imports ?? []) as DynamicModule['imports'] & [],
      options.metrics,
    );
  }
}

function withOptions(
  options: Provider,
  imports: NonNullable<DynamicModule['imports']>,
  metrics: HeraldMetricsModuleOptions | undefined,
): DynamicModule {
  const withMetrics = metrics === undefined ? undefined : metricsParts(metrics);
  return {
    module: HeraldModule,
    global: true,
    imports,
    controllers: withMetrics?.controllers ?? [],
    providers: [
      ...(withMetrics?.providers ?? []),
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

/**
 * The metrics route and registration. prom-client is loaded here, so a missing peer fails at
 * `forRoot()` with the install line rather than when Nest first builds the module.
 */
function metricsParts(metrics: HeraldMetricsModuleOptions): {
  controllers: NonNullable<DynamicModule['controllers']>;
  providers: Provider[];
} {
  loadPromClient();
  return {
    controllers: [metricsController(metrics.path ?? '/metrics')],
    providers: [{ provide: HERALD_METRICS_OPTIONS, useValue: metrics }, HeraldMetricsRegistration],
  };
}

/** The hub's share of the module's options. */
function hubOptions({
  sse: _sse,
  limits: _limits,
  shutdown: _shutdown,
  runs: _runs,
  metrics: _metrics,
  ...hub
}: HeraldModuleOptions): HubOptions {
  return hub;
}
