import { type DynamicModule, EventEmitterModule, HubModule, Module } from 'herald';
import { redisBrokerFromEnv } from 'herald/redis';
import { ChatController, SimulatedModel } from './chat.js';
import { Registry } from 'prom-client';
import { DashboardController, DEMO_METRICS } from './dashboard-controller.js';
import { DemoConfig } from './demo-config.js';
import { NotificationPublisher, NotificationsController } from './notifications.js';
import { SecureNotificationsController } from './secure-notifications.js';
import { StatsController } from './stats-controller.js';
import { TaskService, TasksController } from './tasks.js';
import { TicksController } from './ticks-controller.js';
import { VerificationController, VerificationRelay } from './verification.js';

/**
 * The demo's hub broker: undefined (in memory) unless HERALD_REDIS_URL is set, then Redis under the
 * key prefix `herald-demo` (HERALD_REDIS_PREFIX changes it), not the default `herald` another app
 * on the same Redis may use: hubs that share a prefix share one log.
 */
export function demoBroker(env: Record<string, string | undefined> = process.env) {
  return redisBrokerFromEnv(env, { prefix: env.HERALD_REDIS_PREFIX || 'herald-demo' });
}

/**
 * The demo application: the seeds' routes, the notification and verification hub topics (also
 * behind a bearer token), stats, and a chat panel whose answers are resumable runs.
 */
@Module({})
export class DemoModule {
  /** The module with `config`'s intervals and history size. */
  static forRoot(config: DemoConfig): DynamicModule {
    // HERALD_REDIS_URL set: the hub's log lives in Redis, shared by every demo process.
    const broker = demoBroker();
    return {
      module: DemoModule,
      imports: [
        EventEmitterModule.forRoot(),
        HubModule.forRoot({
          history: { maxEvents: config.historyEvents },
          ...(broker && { broker }),
        }),
      ],
      controllers: [
        TicksController,
        NotificationsController,
        SecureNotificationsController,
        VerificationController,
        TasksController,
        StatsController,
        ChatController,
        DashboardController,
      ],
      providers: [
        { provide: DemoConfig, useValue: config },
        // Its own registry, not prom-client's global one: tests start several demos per process.
        { provide: DEMO_METRICS, useValue: new Registry() },
        NotificationPublisher,
        VerificationRelay,
        TaskService,
        SimulatedModel,
      ],
    };
  }
}
