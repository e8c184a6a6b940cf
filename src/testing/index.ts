export { createTestApp } from './create-test-app.js';
export type { TestApp, TestAppOptions } from './create-test-app.js';
export { sse } from './sse.js';
export type { SseOptions, SseQuery, SseTarget } from './sse.js';
export type { TestEvent } from './test-event.js';
export { DEFAULT_WAIT_MS, TestEventStream } from './test-event-stream.js';
export type { WaitOptions } from './test-event-stream.js';
