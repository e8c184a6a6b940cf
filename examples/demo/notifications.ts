import { Controller, Hub, Injectable, LastEventId, Sse } from 'herald';
import type { OnModuleDestroy, OnModuleInit } from 'herald';
import { DemoConfig } from './demo-config.js';

/** The hub topic notifications are published on. */
export const NOTIFICATIONS_TOPIC = 'notifications';

/** Seed 003's notification types. */
const TYPES = ['message', 'update', 'alert'] as const;

/** One notification as the page receives it; `n` counts from 1 so a client can spot a gap. */
export interface Notification {
  n: number;
  type: (typeof TYPES)[number];
  message: string;
  at: string;
}

const TEXT = {
  message: (n: number) => `New comment on ticket #${100 + n}`,
  update: (n: number) => `Build #${n} finished`,
  alert: (n: number) => `Error rate above 5 % (check ${n})`,
} as const;

/**
 * Publishes a notification to the hub every `notificationMs`: message, update, alert, in turn,
 * typed (the browser dispatches them by type) and with `retry: 30000` (seed 003). Not when the
 * config says another process publishes them (`publish: false`).
 */
@Injectable()
export class NotificationPublisher implements OnModuleInit, OnModuleDestroy {
  #timer: NodeJS.Timeout | undefined;
  #n = 0;

  constructor(
    private readonly hub: Hub,
    private readonly config: DemoConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.publish) return;
    this.#timer = setInterval(() => void this.publish(), this.config.notificationMs);
  }

  onModuleDestroy(): void {
    clearInterval(this.#timer);
  }

  /** Publishes the next notification and resolves with the id the hub gave it. */
  publish(): Promise<string> {
    const n = ++this.#n;
    const type = TYPES[(n - 1) % TYPES.length]!;
    const data: Notification = { n, type, message: TEXT[type](n), at: new Date().toISOString() };
    return this.hub.publish(NOTIFICATIONS_TOPIC, { data, type, retry: this.config.retryMs });
  }
}

/** `/notifications`: the hub topic, resumed from the client's `Last-Event-ID` after a drop. */
@Controller()
export class NotificationsController {
  constructor(private readonly hub: Hub) {}

  @Sse('notifications')
  notifications(@LastEventId() lastEventId: string | undefined) {
    return this.hub.subscribe(NOTIFICATIONS_TOPIC, { lastEventId });
  }
}
