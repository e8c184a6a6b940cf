import { compareStreamIds, isStreamId } from './stream-id.js';

/**
 * Ids of a sharded RedisBroker. An entry's id is `<k>.<ms>-<seq>`: shard `k`, then the Redis
 * stream id within that shard's stream. Ids are ordered within a shard only, so a client's resume
 * position is a token: one such id when its topics share one shard (a scalar, the entry's own id),
 * else the vector of its shards' positions, `<k>.<id>,<k>.<id>,...` in shard order.
 */
export type ShardPositions = Map<number, string>;

/** Parses an id or token; undefined when it is not one of this broker's (a gap, then). */
export function parseToken(token: string): ShardPositions | undefined {
  const out: ShardPositions = new Map();
  for (const part of token.split(',')) {
    const dot = part.indexOf('.');
    const k = Number(part.slice(0, dot));
    const id = part.slice(dot + 1);
    if (dot < 1 || !Number.isSafeInteger(k) || k < 0 || !isStreamId(id)) return undefined;
    out.set(k, id);
  }
  return out;
}

/** Writes positions as a token (shard order, so equal positions make equal tokens). */
export function formatToken(positions: ShardPositions): string {
  return [...positions.keys()]
    .sort((a, b) => a - b)
    .map((k) => `${k}.${positions.get(k)}`)
    .join(',');
}

/** The shard and stream id of an entry id `<k>.<id>` (no validation: the broker made it). */
export function splitId(id: string): [shard: number, streamId: string] {
  const dot = id.indexOf('.');
  return [Number(id.slice(0, dot)), id.slice(dot + 1)];
}

/**
 * Orders `a` against `b` as the hub asks: `compare(entryId, token) <= 0` means the token covers
 * the entry. Two ids of one shard compare as stream ids. Otherwise `a` is at or below `b` only if
 * each of its positions is at or below `b`'s in that shard (a shard `b` lacks covers nothing);
 * scalars of two shards, which no order relates, compare by stream id, then shard.
 */
export function compareTokens(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.includes(',') && !b.includes(',')) {
    const [ka, ia] = splitId(a);
    const [kb, ib] = splitId(b);
    return ka === kb ? compareStreamIds(ia, ib) : compareStreamIds(ia, ib) || ka - kb;
  }
  const pa = parseToken(a);
  const pb = parseToken(b);
  if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? -1 : 1;
  let sign = 0;
  for (const [k, id] of pa) {
    const other = pb.get(k);
    if (other === undefined) return 1;
    const c = compareStreamIds(id, other);
    if (c > 0) return 1;
    if (c < 0) sign = -1;
  }
  return sign === 0 && pb.size > pa.size ? -1 : sign;
}

/**
 * The token after `entry` for a client at `token`: the entry's own id while the client's position
 * is in that one shard (so its frame, shared by every subscriber, goes out unchanged), else the
 * vector with the entry's shard moved up to it. Never moves a position down (calling it twice for
 * one entry is harmless).
 */
export function advanceToken(token: string | undefined, entryId: string): string {
  if (token === undefined || token === entryId) return entryId;
  const [k, id] = splitId(entryId);
  if (!token.includes(',')) {
    const [tk, tid] = splitId(token);
    if (tk === k) return compareStreamIds(id, tid) > 0 ? entryId : token;
  }
  const positions = parseToken(token);
  if (positions === undefined) return entryId;
  const at = positions.get(k);
  if (at !== undefined && compareStreamIds(id, at) <= 0) return token;
  positions.set(k, id);
  return formatToken(positions);
}
