export * from './di/index.js';
export * from './events/index.js';
export * from './http/index.js';
export * from './hub/index.js';
export * from './security/index.js';
