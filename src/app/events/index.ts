export * from './event-emitter2.js';
export { EventEmitterModule, type EventEmitterModuleOptions } from './event-emitter-module.js';
export { OnEvent, type OnEventDefinition, type OnEventOptions } from './on-event.js';
