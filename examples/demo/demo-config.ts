/** What `startDemo()` accepts; every field has a default suited to a person watching the page. */
export interface DemoOptions {
  /** Port to listen on (0 picks a free one). Default 3000. */
  port?: number;
  /** Interface to bind. Default: all interfaces. */
  host?: string;
  /** Period of `/sse` and `/events`, in ms. Default 1000 (the seeds' `interval(1000)`). */
  tickMs?: number;
  /** Period of the published notifications, in ms. Default 2000. */
  notificationMs?: number;
  /**
   * Whether this process publishes the notifications. Default true. Processes sharing a Redis hub
   * share its topics, so only one of them should, or each notification arrives once per process.
   */
  publish?: boolean;
  /** The notifications' `retry:`, the wait before a browser reconnects, in ms. Default 30000 (seed 003). */
  retryMs?: number;
  /** Time per 10 % of a task's progress, in ms. Default 1000 (seed 003's TaskService). */
  taskStepMs?: number;
  /** Period of the live dashboard's samples (`/dashboard`), in ms. Default 1000. */
  dashboardMs?: number;
  /** Events the hub keeps for `Last-Event-ID` replay. Default 1000. */
  historyEvents?: number;
  /** Time between two words of the chat panel's simulated model, in ms. Default 180 (reading pace). */
  wordMs?: number;
  /** Print request errors (default true; tests turn it off). */
  log?: boolean;
  /** Serve HTTPS with HTTP/2 (and HTTP/1.1 on the same port) with this certificate. Default: plain HTTP. */
  tls?: { key: string; cert: string };
}

/**
 * The demo's settings, resolved from {@link DemoOptions}; provided by value and injected by type
 * into the services that run timers.
 */
export class DemoConfig {
  readonly tickMs: number;
  readonly notificationMs: number;
  readonly publish: boolean;
  readonly retryMs: number;
  readonly taskStepMs: number;
  readonly historyEvents: number;
  readonly wordMs: number;
  readonly dashboardMs: number;

  constructor(options: DemoOptions = {}) {
    this.tickMs = options.tickMs ?? 1000;
    this.notificationMs = options.notificationMs ?? 2000;
    this.publish = options.publish ?? true;
    this.retryMs = options.retryMs ?? 30_000;
    this.taskStepMs = options.taskStepMs ?? 1000;
    this.historyEvents = options.historyEvents ?? 1000;
    this.wordMs = options.wordMs ?? 180;
    this.dashboardMs = options.dashboardMs ?? 1000;
  }
}
