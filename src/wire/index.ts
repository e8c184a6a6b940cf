export { encodeEvent, serializeComment, serializeData, serializeEvent } from './encode.js';
export { Frame } from './frame.js';
export type { MessageEvent, WireEvent } from './message-event.js';
