import type { HubBroker } from '../broker.js';

/** The type of a run's terminal event; its data is `{ status }`. */
export const RUN_END_EVENT = 'herald:end';

/** How a run ended. */
export type RunStatus = 'done' | 'cancelled' | 'failed';

/** What a store knows of a run: running, or ended with the id of its terminal event. */
export interface RunInfo {
  readonly state: 'running' | RunStatus;
  /** The terminal event's id, once the run has ended. */
  readonly endId: string | undefined;
}

/** Per-run bounds, fixed when the run is claimed. */
export interface RunLimits {
  /** Kept this long after the run ends, then released. */
  readonly ttlMs: number;
  /** Most events a run may hold (the terminal event is not counted). */
  readonly maxEvents: number;
  /** Most encoded bytes a run may hold. */
  readonly maxBytes: number;
}

/**
 * One run's event log as this process sees it: a broker of one topic, whose entries are never
 * trimmed while the run is retained. `readAfter` an id that is not one of the run's replays the
 * run from its start. What a Redis failover lost of a run is a `herald:gap` event in the log
 * (`reason: 'lost'`), sent to every follower in its place.
 */
export interface RunLog extends HubBroker {
  /** The position before the run's first event. */
  readonly startId: string;
  /** Called when the log delivers the run's terminal entry, whoever wrote it. */
  onEnd: ((status: RunStatus) => void) | undefined;
  /**
   * `id` when it is one of the run's entries, else `startId`: where a resume replays from. (A log
   * that lost entries after `id` answers the newest entry below it: see RedisRunLog.position.)
   */
  position(id: string): string | Promise<string>;
}

/**
 * Where runs live: the in-memory store for one process, or a broker's (Redis: claims, logs and
 * cancellation shared by every process). Appends go through the run's log (`RunLog.append`).
 */
export interface RunStore {
  /** Claims `id` for a run started on this process; false when the id is running or retained. */
  claim(id: string, limits: RunLimits): Promise<boolean>;
  /** A new view of the run's log for this process; its `close()` releases it. */
  open(id: string): RunLog;
  /**
   * Ends a running run with `status`, appending the terminal event: resolves with its id, or
   * undefined when the run was not running (already ended, expired, unknown).
   */
  finish(id: string, status: RunStatus): Promise<string | undefined>;
  /** The run's state, or undefined when it is unknown or expired. */
  info(id: string): Promise<RunInfo | undefined>;
  /** The producer of a run claimed here has stopped (its run ended). */
  release(id: string): void;
  /** Runs running and runs retained after their end (see `HubStats.runs`). */
  counts(): { active: number; retained: number };
  close(): void | Promise<void>;
}

/** The terminal event of a run that ended with `status`. */
export function endEvent(status: RunStatus): { type: string; data: { status: RunStatus } } {
  return { type: RUN_END_EVENT, data: { status } };
}
