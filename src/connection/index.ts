export { type CloseReason, SseConnection } from './sse-connection.js';
export { DEFAULT_HEARTBEAT_MS, DEFAULT_MAX_PENDING_BYTES } from './resolve-sse-options.js';
export type { SseStreamOptions } from './sse-options.js';
export { type CloseAllOptions, SseServer, type SseServerStats } from './sse-server.js';
export { heartbeatTimerCount } from './heartbeat.js';
