import { CLUSTER_SLOTS, keySlot } from './key-slot.js';

/**
 * The shard of `topic` among `count`: FNV-1a (32-bit, unsigned) over its UTF-8 bytes, mod
 * `count`. Stable across processes, versions and platforms, since every process must agree on it:
 * a topic's events all go to one shard, which is what keeps them in order.
 */
export function shardOf(topic: string, count: number): number {
  if (count === 1) return 0;
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(topic, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash % count;
}

/**
 * The hash tag of shard `k` of `count`: the first `<k>-<n>` (n = 0, 1, ...) whose slot falls in the
 * k-th of `count` equal slices of the slot space. `redis-cli --cluster create` (and most managed
 * clusters) give each master one contiguous, equal range of slots, so slots spread evenly over the
 * slot space spread shards evenly over the masters; short numeric tags left to chance do not
 * (`{0}`..`{15}` can put twice as many shards on one master as on another).
 */
export function shardTag(k: number, count: number): string {
  const from = Math.floor((k * CLUSTER_SLOTS) / count);
  const to = Math.floor(((k + 1) * CLUSTER_SLOTS) / count);
  for (let n = 0; ; n++) {
    const tag = `${k}-${n}`;
    const slot = keySlot(tag);
    if (slot >= from && slot < to) return tag;
  }
}

/** The stream keys of `count` shards under `prefix`: `<prefix>:log:{<tag>}`, in shard order. */
export function shardKeys(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, k) => `${prefix}:log:{${shardTag(k, count)}}`);
}
