// The decorator framework, and what application code uses of the engine. Everything else is
// internal; the engine alone is `herald/sse`, the hub alone `herald/hub`.
import 'reflect-metadata';

export * from './app/index.js';
export {
  type CloseAllOptions,
  type CloseReason,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_PENDING_BYTES,
  DEFAULT_MAX_STALL_MS,
  encodeEvent,
  type MessageEvent,
  type ObservableLike,
  type SseConnection,
  SSEEvent,
  SSEMessage,
  type SSEMessageInit,
  SseServer,
  type SseServerStats,
  type SseStreamOptions,
  type WireEvent,
} from './sse/index.js';
export * from './errors.js';
export * from './hub/index.js';
