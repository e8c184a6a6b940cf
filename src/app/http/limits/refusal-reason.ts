import { isHeraldError } from '../../../errors.js';
import type { StreamRefusalReason } from '../../../metrics/stream-refusals.js';

/** Where a stream request was when it failed: what a refusal is blamed on depends on it. */
export type RefusalStage = 'request' | 'guard' | 'params' | 'handler' | 'open';

const BY_STAGE = {
  request: 'invalid-request',
  guard: 'guard',
  params: 'validation',
  handler: 'handler',
  open: 'source',
} as const satisfies Record<RefusalStage, StreamRefusalReason>;

/**
 * The reason a stream request that failed at `stage` with `err` is counted under. Opening the
 * stream can fail for reasons of the hub (by error code) as well as of the source itself; the
 * stream limiter names its own refusals before this is asked.
 */
export function refusalReason(stage: RefusalStage, err: unknown): StreamRefusalReason {
  if (stage === 'open' && isHeraldError(err)) {
    if (err.code === 'FORBIDDEN_TOPIC') return 'topic-forbidden';
    if (err.code === 'TOPIC_FULL') return 'topic-full';
    if (err.code === 'BROKER_UNAVAILABLE') return 'broker-unavailable';
    if (err.code === 'CLOSED') return 'closed';
  }
  return BY_STAGE[stage];
}
