import 'reflect-metadata';
import type { event, eventNS, ListenerFn } from 'eventemitter2';
import type { Container } from '../di/container.js';
import { Inject, Injectable } from '../di/injectable.js';
import type { ContainerExtension } from '../di/lifecycle.js';
import { METADATA } from '../metadata-keys.js';
import { EventEmitter2 } from './event-emitter2.js';
import type { OnEventDefinition } from './on-event.js';

/**
 * Subscribes every `@OnEvent` method of every instance in the container to the application's
 * `EventEmitter2` when the container starts, and removes exactly those listeners when it closes
 * (before any `onModuleDestroy`, so no event reaches a provider that is shutting down).
 */
@Injectable()
export class EventSubscriptions implements ContainerExtension {
  readonly #emitter: EventEmitter2;
  readonly #active: Array<{ event: event | eventNS; listener: ListenerFn }> = [];

  constructor(@Inject(EventEmitter2) emitter: EventEmitter2) {
    this.#emitter = emitter;
  }

  onContainerInit(container: Container): void {
    for (const { instance } of container.instances()) {
      const definitions: OnEventDefinition[] =
        Reflect.getMetadata(METADATA.ON_EVENT, instance.constructor) ?? [];
      for (const definition of definitions) this.#subscribe(instance, definition);
    }
  }

  onContainerClose(): void {
    for (const { event, listener } of this.#active.splice(0)) this.#emitter.off(event, listener);
  }

  #subscribe(instance: object, { method, event, options }: OnEventDefinition): void {
    const fn = (instance as Record<string | symbol, unknown>)[method];
    if (typeof fn !== 'function') return;
    const { prependListener = false, suppressErrors = true, ...onOptions } = options;
    const name = `${instance.constructor.name}.${String(method)}`;
    const listener: ListenerFn = suppressErrors
      ? (...args) => {
          try {
            const result = fn.apply(instance, args);
            return isThenable(result) ? result.then(undefined, (e) => report(name, e)) : result;
          } catch (error) {
            report(name, error);
            return undefined;
          }
        }
      : (...args) => fn.apply(instance, args);
    if (prependListener) this.#emitter.prependListener(event, listener, onOptions);
    else this.#emitter.on(event, listener, onOptions);
    // eventemitter2 records the original function on any wrapper it makes (async, promisify),
    // so `off(event, listener)` removes the right one.
    this.#active.push({ event, listener });
  }
}

function report(name: string, error: unknown): void {
  console.error(`[herald] @OnEvent listener ${name} failed:`, error);
}

function isThenable(value: unknown): value is Promise<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Promise<unknown>).then === 'function'
  );
}
