import eventemitter2 from 'eventemitter2';
import type {
  EventEmitter2 as EventEmitter2Instance,
  ConstructorOptions as EventEmitter2Options,
} from 'eventemitter2';

/**
 * The real `EventEmitter2` class of the `eventemitter2` package (not a subclass), so that
 * `instanceof`, its docs and its types all hold. It is a CommonJS package whose
 * `module.exports` is the class itself, so Node's ESM loader only offers it as the default
 * export; the named binding here is what lets `constructor(events: EventEmitter2)` work with
 * `EventEmitter2` imported from `herald`, as in the seeds.
 *
 * @example
 * @Injectable()
 * export class VerifyService {
 *   constructor(private readonly events: EventEmitter2) {}
 *   verify(email: string) { this.events.emit('filter.verified', { email, isVerified: true }); }
 * }
 */
export const EventEmitter2: typeof EventEmitter2Instance = eventemitter2.EventEmitter2;
/** An `EventEmitter2` instance. */
export type EventEmitter2 = EventEmitter2Instance;
export type { EventEmitter2Options };
export type {
  CancelablePromise,
  event,
  eventNS,
  EventAndListener,
  Listener,
  ListenerFn,
  OnOptions,
  WaitForOptions,
} from 'eventemitter2';
