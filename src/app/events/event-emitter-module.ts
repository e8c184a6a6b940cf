import type { DynamicModule } from '../di/types.js';
import { Module } from '../di/module.js';
import { EventEmitter2, type EventEmitter2Options } from './event-emitter2.js';
import { EventSubscriptions } from './event-subscriptions.js';

/** Options of `EventEmitterModule.forRoot()`: those of `new EventEmitter2()`, plus `global`. */
export interface EventEmitterModuleOptions extends EventEmitter2Options {
  /** Make `EventEmitter2` injectable in every module without importing this one. Default true. */
  global?: boolean;
}

/**
 * Herald's defaults for the application emitter. `maxListeners: 0` (unlimited): the seeds add one
 * listener per connected SSE client to the same event (seed 001's `eventService.on(...)` in an
 * `@Sse` handler), so eventemitter2's default of 10 prints a MaxListenersExceededWarning as soon
 * as an 11th browser connects. Any fixed number is wrong for a push server, whose listener count
 * follows its audience; a leak is caught by counting listeners after clients leave, not by a cap.
 * `wildcard: false` keeps `emit` on the fast path unless namespaces are asked for.
 */
const DEFAULTS: EventEmitter2Options = { wildcard: false, maxListeners: 0 };

/**
 * Provides one `EventEmitter2` for the whole application (a global module by default) and
 * wires `@OnEvent` methods to it.
 *
 * @example
 * @Module({ imports: [EventEmitterModule.forRoot()], controllers: [AppController] })
 * export class AppModule {}
 */
@Module({})
export class EventEmitterModule {
  /** The module with an emitter made from `options` over Herald's defaults. */
  static forRoot(options: EventEmitterModuleOptions = {}): DynamicModule {
    const { global = true, ...emitterOptions } = options;
    return {
      module: EventEmitterModule,
      global,
      providers: [
        {
          provide: EventEmitter2,
          useFactory: () => new EventEmitter2({ ...DEFAULTS, ...emitterOptions }),
        },
        EventSubscriptions,
      ],
      exports: [EventEmitter2],
    };
  }
}
