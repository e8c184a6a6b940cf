import { HeraldError } from '../../errors.js';

/** Run ids are strings of 1 to this many characters (they name Redis keys and URLs). */
export const MAX_RUN_ID_LENGTH = 200;

/** True when `id` can name a run. */
export function isRunId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_RUN_ID_LENGTH;
}

/** Throws `INVALID_RUN_ID` unless `id` can name a run. */
export function checkRunId(id: unknown): asserts id is string {
  if (!isRunId(id)) {
    throw new HeraldError(
      'INVALID_RUN_ID',
      `a run id must be a string of 1 to ${MAX_RUN_ID_LENGTH} characters`,
    );
  }
}

/** `options` without its undefined values, so defaults spread under it stay. */
export function stripUndefined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}
