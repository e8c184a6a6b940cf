import 'reflect-metadata';
import type { event, eventNS, OnOptions } from 'eventemitter2';
import { METADATA } from '../metadata-keys.js';

/** Options of {@link OnEvent}: those of `EventEmitter2.on`, plus two of Herald's. */
export interface OnEventOptions extends OnOptions {
  /** Add the listener before the others (`prependListener`). Default false. */
  prependListener?: boolean;
  /**
   * Catch what the method throws or rejects with and log it, so one failing listener neither
   * breaks `emit()` for the emitter nor becomes an unhandled rejection. Default true.
   */
  suppressErrors?: boolean;
}

/** One `@OnEvent` method, as recorded under `METADATA.ON_EVENT` on its class. */
export interface OnEventDefinition {
  method: string | symbol;
  event: event | eventNS;
  options: OnEventOptions;
}

/**
 * Calls the decorated provider (or controller) method whenever `event` is emitted on the
 * application's `EventEmitter2` (from `EventEmitterModule.forRoot()`), from `init()` until
 * `close()`. The method receives the emitted values.
 *
 * @example
 * @Injectable()
 * export class AuditService {
 *   @OnEvent('filter.verified')
 *   record(payload: { email: string }) { this.log.push(payload.email); }
 * }
 */
export function OnEvent(event: event | eventNS, options: OnEventOptions = {}): MethodDecorator {
  return (target, method) => {
    const type = target.constructor;
    // Read through the prototype chain so a subclass keeps its parent's listeners too.
    const inherited: OnEventDefinition[] = Reflect.getMetadata(METADATA.ON_EVENT, type) ?? [];
    Reflect.defineMetadata(METADATA.ON_EVENT, [...inherited, { method, event, options }], type);
  };
}
