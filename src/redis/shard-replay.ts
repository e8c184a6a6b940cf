import type { Redis } from 'ioredis';
import type { BrokerEntry, ReplayResult } from '../hub/broker.js';
import { readAfter } from './replay.js';
import { decodeEntries, type RawStreamEntry } from './stream-entry.js';
import { compareStreamIds, ZERO_ID } from './stream-id.js';
import { streamInfo } from './stream-info.js';

/**
 * One shard's part of a replay: the entries after `id` in stream `key` (raw stream ids), or a gap.
 * `0-0` is the position of a client that has seen nothing of this shard yet (a head taken while the
 * stream was empty or absent): covered while the stream never trimmed anything, so it then replays
 * the stream from its start. Any other id follows the one-stream rule (`readAfter` in replay.ts).
 */
export async function readShardAfter(
  conn: Redis,
  key: string,
  id: string,
  page: number,
  limit: number | undefined,
): Promise<ReplayResult> {
  if (id !== ZERO_ID) return readAfter(conn, key, id, page, limit);
  const info = await streamInfo(conn, key);
  if (info === undefined) return { kind: 'ok', entries: [] };
  if (info.entriesAdded !== info.length) return { kind: 'gap', oldestId: null, headId: null };
  const count = Math.min(page, limit ?? page);
  const first = (await conn.xrange(key, '-', '+', 'COUNT', count)) as RawStreamEntry[];
  if (first.length === 0 || limit !== undefined)
    return { kind: 'ok', entries: decodeEntries(first) };
  const rest = await readAfter(conn, key, first.at(-1)![0], page, undefined);
  return rest.kind === 'ok'
    ? { kind: 'ok', entries: decodeEntries(first).concat(rest.entries) }
    : { kind: 'gap', oldestId: null, headId: null };
}

/** An entry of shard `k`, with its composite id `<k>.<stream id>`. */
export function inShard(k: number, entry: BrokerEntry): BrokerEntry {
  const id = `${k}.${entry.id}`;
  // A loss marker's bound is a position in its shard too.
  if (entry.gap !== undefined)
    return { id, topic: entry.topic, event: entry.event, gap: `${k}.${entry.gap}` };
  return { id, topic: entry.topic, event: entry.event };
}

/**
 * Merges shards' entries (each list oldest first, raw ids alongside) into one list ordered by stream
 * id, so a replay interleaves shards roughly by time while each shard keeps its order; at most
 * `limit` entries, each shard contributing a prefix of its list.
 */
export function mergeShards(
  lists: ReadonlyArray<{ k: number; entries: readonly BrokerEntry[] }>,
  limit = Number.POSITIVE_INFINITY,
): BrokerEntry[] {
  const at = lists.map(() => 0);
  const out: BrokerEntry[] = [];
  while (out.length < limit) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      const e = lists[i]!.entries[at[i]!];
      if (e === undefined) continue;
      if (best < 0 || compareStreamIds(e.id, lists[best]!.entries[at[best]!]!.id) < 0) best = i;
    }
    if (best < 0) break;
    out.push(inShard(lists[best]!.k, lists[best]!.entries[at[best]!++]!));
  }
  return out;
}
