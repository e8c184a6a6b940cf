// `herald/sse`: the event-stream engine for code that owns its HTTP server. No decorators, no DI,
// no router: `sse.open(req, res, source)` on any `node:http` request.
export { HeraldError, type HeraldErrorCode, isHeraldError } from '../errors.js';
export type { CloseReason, SseConnection } from '../connection/sse-connection.js';
export {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_PENDING_BYTES,
  DEFAULT_MAX_STALL_MS,
} from '../connection/resolve-sse-options.js';
export type { SseStreamOptions } from '../connection/sse-options.js';
export { type CloseAllOptions, SseServer, type SseServerStats } from '../connection/sse-server.js';
export type { ObservableLike } from '../stream/source-kind.js';
export { SSEEvent, SSEMessage, type SSEMessageInit } from '../stream/sse-message.js';
export { encodeEvent } from '../wire/encode.js';
export type { MessageEvent, WireEvent } from '../wire/message-event.js';
