import type { Container } from './container.js';

/** Called by `Container.init()` on every instance, dependencies before their dependents. */
export interface OnModuleInit {
  onModuleInit(): unknown;
}

/** Called first by `Container.close()`, dependents before their dependencies. */
export interface OnModuleDestroy {
  onModuleDestroy(): unknown;
}

/** Called by `Container.close()` after every `onModuleDestroy`, with the signal that caused it. */
export interface BeforeApplicationShutdown {
  beforeApplicationShutdown(signal?: string): unknown;
}

/** Called last by `Container.close()`, with the signal that caused it (e.g. `'SIGTERM'`). */
export interface OnApplicationShutdown {
  onApplicationShutdown(signal?: string): unknown;
}

/**
 * A provider that extends the container itself (Herald's `EventEmitterModule` is one: it wires
 * `@OnEvent` methods). `onContainerInit` runs in `init()` before any `onModuleInit`, once every
 * instance exists; `onContainerClose` runs first in `close()`, before any `onModuleDestroy`.
 */
export interface ContainerExtension {
  onContainerInit(container: Container): unknown;
  onContainerClose?(container: Container): unknown;
}
