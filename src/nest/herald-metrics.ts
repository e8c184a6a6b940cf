import type { Type } from '@nestjs/common';
import { Hub } from '../hub/hub.js';
import { type HeraldMetrics, registerHeraldMetrics } from '../metrics/herald-metrics.js';
import type { RegistryLike } from '../metrics/registry-like.js';
import { HeraldStreams } from './herald-streams.js';
import { common } from './nest-peers.js';
import { type PlatformResponse, sendText } from './platform-response.js';

/** `HeraldModule.forRoot({ metrics })`: Herald's Prometheus metrics, served by a Nest route. */
export interface HeraldMetricsModuleOptions {
  /** A prom-client `Registry`. Default: prom-client's default registry (`register`). */
  registry?: RegistryLike;
  /**
   * The route answering GET (and HEAD) with the registry's text format. Default `/metrics`. It is
   * a Nest route: a global prefix and global guards apply to it as to any other.
   */
  path?: string;
}

/** The injection token of the `metrics` options (given apart from an async factory's options). */
export const HERALD_METRICS_OPTIONS = Symbol.for('herald.nest.metrics-options');

/**
 * Herald's metrics registered for the module's engine, stream caps and hub (the same names as
 * `app.enableMetrics()`), taken out of the registry again when the app closes, so a registry
 * shared by two apps in one process (tests) never holds a closed app's metrics.
 */
@common.Injectable()
export class HeraldMetricsRegistration {
  readonly #metrics: HeraldMetrics;

  constructor(
    @common.Inject(HERALD_METRICS_OPTIONS) options: HeraldMetricsModuleOptions,
    streams: HeraldStreams,
    hub: Hub,
  ) {
    this.#metrics = registerHeraldMetrics({
      ...(options.registry === undefined ? {} : { registry: options.registry }),
      ...streams.metricSources(),
      hub,
    });
  }

  /** The registry the metrics are in. */
  get registry(): RegistryLike {
    return this.#metrics.registry;
  }

  onModuleDestroy(): void {
    this.#metrics.remove();
  }
}

/**
 * A controller serving the registry on `path`. Made per module: a Nest route's path is fixed when
 * its class is decorated. The response is written through `@Res()`, so an app's global
 * interceptors (a `{ data }` wrapper) cannot reshape the text format.
 */
export function metricsController(path: string): Type<unknown> {
  @common.Controller()
  class HeraldMetricsController {
    readonly #metrics: HeraldMetricsRegistration;

    constructor(@common.Inject(HeraldMetricsRegistration) metrics: HeraldMetricsRegistration) {
      this.#metrics = metrics;
    }

    @common.Get(path)
    async scrape(@common.Res() res: PlatformResponse): Promise<void> {
      const registry = this.#metrics.registry;
      sendText(res, registry.contentType, await registry.metrics());
    }
  }
  return HeraldMetricsController;
}
