/**
 * The Redis keys of one run. All three carry the run id as a hash tag (`{<id>}`), so they live in
 * one slot of a Redis Cluster and every script below, which touches them together, stays legal
 * when streams are sharded. (A run id holding `}` cuts the tag short, identically in all three.)
 */
export interface RunKeys {
  /** Hash: `state` (running, done, cancelled, failed), `owner`, `ttl`, `max`, `maxBytes`, `bytes`, `end`. */
  readonly meta: string;
  /** Stream: the run's events, then its terminal event (field `f`). */
  readonly log: string;
  /** String with a TTL: the producing process's token, renewed while it lives. */
  readonly lease: string;
}

/** The keys of run `id` under `prefix` (see ARCHITECTURE.md, runs on Redis). */
export function runKeys(prefix: string, id: string): RunKeys {
  const base = `${prefix}:run:{${id}}`;
  return { meta: base, log: `${base}:log`, lease: `${base}:lease` };
}

/** Stream fields of a run entry: the event's JSON, and the marker of the terminal entry. */
export const RUN_EVENT_FIELD = 'e';
export const RUN_FINAL_FIELD = 'f';
