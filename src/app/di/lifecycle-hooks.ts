import type { Container, ContainerEntry } from './container.js';

/** Calls `instance[method](arg)` when the instance has such a method. */
function invoke(instance: object, method: string, arg: unknown): unknown {
  const fn = (instance as Record<string, unknown>)[method];
  return typeof fn === 'function' ? fn.call(instance, arg) : undefined;
}

/** Extensions first (so they see every instance), then `onModuleInit`, dependencies first. */
export async function runInitHooks(
  container: Container,
  entries: readonly ContainerEntry[],
): Promise<void> {
  for (const { instance } of entries) await invoke(instance, 'onContainerInit', container);
  for (const { instance } of entries) await invoke(instance, 'onModuleInit', undefined);
}

/**
 * Each phase over every instance, dependents first, before the next phase starts. Errors are
 * collected so that one failing hook does not leave the sockets or timers of others open.
 */
export async function runCloseHooks(
  container: Container,
  entries: readonly ContainerEntry[],
  signal: string | undefined,
): Promise<void> {
  const errors: unknown[] = [];
  const phases: Array<[string, unknown]> = [
    ['onContainerClose', container],
    ['onModuleDestroy', undefined],
    ['beforeApplicationShutdown', signal],
    ['onApplicationShutdown', signal],
  ];
  const dependentsFirst = [...entries].reverse();
  for (const [method, arg] of phases) {
    for (const { instance } of dependentsFirst) {
      try {
        await invoke(instance, method, arg);
      } catch (error) {
        errors.push(error);
      }
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} shutdown hooks failed`);
}
