/**
 * The Redis keys of one run. All three share one hash tag, so they live in one slot of a Redis
 * Cluster and every script below, which touches them together, stays legal there.
 * - Unsharded (`shards: 1`, one server): the tag is the run id, `<prefix>:run:{<id>}`. (A run id
 *   holding `}` cuts the tag short, identically in all three.)
 * - Sharded (`shards > 1` or a cluster): the tag is the tag of the run's shard (`shardOf(id)`),
 *   `<prefix>:run:{<shard tag>}:<id>`: a run's keys sit in its shard's slot, beside that shard's
 *   log, so one `XREAD` can follow every run of a shard (one slot: no CROSSSLOT), and runs spread
 *   over the masters as the shards do.
 */
export interface RunKeys {
  /**
   * Hash: `state` (running, done, cancelled, failed), `owner`, `ttl`, `max`, `maxBytes`, `bytes`,
   * `end`; after a failover lost entries, `lost`, `losses` and `lost:<kept id>` (run-scripts.ts).
   */
  readonly meta: string;
  /** Stream: the run's events (a loss entry adds field `g`), then its terminal event (field `f`). */
  readonly log: string;
  /** String with a TTL: the producing process's token, renewed while it lives. */
  readonly lease: string;
}

/**
 * The keys of run `id` under `prefix` (see ARCHITECTURE.md, runs on Redis); `shardTag` is the tag
 * of the run's shard when the log is sharded.
 */
export function runKeys(prefix: string, id: string, shardTag?: string): RunKeys {
  const base =
    shardTag === undefined ? `${prefix}:run:{${id}}` : `${prefix}:run:{${shardTag}}:${id}`;
  return { meta: base, log: `${base}:log`, lease: `${base}:lease` };
}

/** The keys of the run whose log is `log` (a key `runKeys` made). */
export function runKeysOfLog(log: string): RunKeys {
  const base = log.slice(0, -':log'.length);
  return { meta: base, log, lease: `${base}:lease` };
}

/** Stream fields of a run entry: the event's JSON, and the marker of the terminal entry. */
export const RUN_EVENT_FIELD = 'e';
export const RUN_FINAL_FIELD = 'f';
