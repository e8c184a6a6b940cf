export { encodeEvent, serializeComment, serializeData, serializeEvent } from './encode.js';
export { Frame } from './frame.js';
export type { MessageEvent, WireEvent } from './message-event.js';
export {
  createEventStreamParser,
  type EventStreamParser,
  type LineParserFactory,
  type ParsedEvent,
} from './parse-event-stream.js';
