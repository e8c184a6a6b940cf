// `herald/fetch`: event streams as web-standard `Response`s (Hono, Bun.serve, Deno.serve, route
// handlers). No framework dependency: it loads the connection, stream and wire layers only.
export { HeraldError, type HeraldErrorCode, isHeraldError } from '../errors.js';
export { lastEventIdOf } from './last-event-id.js';
export { refusalResponse } from './refusal-response.js';
export { DEFAULT_FETCH_HEARTBEAT_MS, type SseResponseOptions } from './response-options.js';
export { sseResponse } from './sse-response.js';
export type { MessageEvent } from '../wire/message-event.js';
