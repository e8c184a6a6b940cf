import 'reflect-metadata';

export * from './app/index.js';
export * from './connection/index.js';
export * from './errors.js';
export * from './hub/index.js';
export * from './stream/index.js';
export * from './wire/index.js';
