import { Controller, Inject, type MessageEvent, Sse } from 'herald';
import type { Registry } from 'prom-client';
import { concatMap, from, type Observable, timer } from 'rxjs';
import { DemoConfig } from './demo-config.js';

/** The registry `app.enableMetrics()` fills (see start-demo.ts); a token, as Registry is a class. */
export const DEMO_METRICS = Symbol('demo metrics registry');

/** One dashboard sample: totals as the metrics have them; the page turns them into rates. */
export interface DashboardSample {
  /** Server time, ms. */
  at: number;
  open: number;
  delivered: number;
  replayed: number;
  gaps: number;
  /** `herald_hub_delivery_lag_seconds` sum (s) and count. */
  lagSum: number;
  lagCount: number;
}

/**
 * `GET /dashboard`: a sample of the app's own Prometheus metrics every `dashboardMs`, for the
 * page's live charts. Read from the registry, so the page shows exactly what `/metrics` serves.
 */
@Controller()
export class DashboardController {
  constructor(
    @Inject(DEMO_METRICS) private readonly registry: Registry,
    private readonly config: DemoConfig,
  ) {}

  @Sse('dashboard')
  dashboard(): Observable<MessageEvent<DashboardSample>> {
    return timer(0, this.config.dashboardMs).pipe(
      concatMap(() => from(this.sample().then((data) => ({ data })))),
    );
  }

  async sample(): Promise<DashboardSample> {
    const values = new Map<string, number>();
    for (const metric of await this.registry.getMetricsAsJSON()) {
      for (const v of metric.values) {
        const name = (v as { metricName?: string }).metricName ?? metric.name;
        if (Object.keys(v.labels).length === 0) values.set(name, v.value);
      }
    }
    const get = (name: string): number => values.get(name) ?? 0;
    return {
      at: Date.now(),
      open: get('herald_streams_open'),
      delivered: get('herald_hub_delivered_total'),
      replayed: get('herald_hub_replayed_total'),
      gaps: get('herald_hub_gaps_total'),
      lagSum: get('herald_hub_delivery_lag_seconds_sum'),
      lagCount: get('herald_hub_delivery_lag_seconds_count'),
    };
  }
}
