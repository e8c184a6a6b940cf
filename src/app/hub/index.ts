export { HubModule, type HubModuleOptions } from './hub-module.js';
