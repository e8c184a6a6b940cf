export { MemoryRunStore } from './memory-run-store.js';
export type { RunSource } from './run-producer.js';
export {
  RUN_END_EVENT,
  type RunInfo,
  type RunLimits,
  type RunLog,
  type RunStatus,
  type RunStore,
} from './run-store.js';
export { type RunStartOptions, Runs, type RunsOptions, type RunSubscribeOptions } from './runs.js';
