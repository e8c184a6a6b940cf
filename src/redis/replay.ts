import type { Redis } from 'ioredis';
import type { BrokerEntry, ReplayResult } from '../hub/broker.js';
import { decodeEntries, type RawStreamEntry } from './stream-entry.js';
import { isStreamId, ZERO_ID } from './stream-id.js';
import { isNoSuchKey, parseStreamInfo, streamInfo } from './stream-info.js';

/**
 * Every retained entry after `id`, or a gap. The rule: `id` is covered exactly when the stream
 * still holds it. `MAXLEN` trimming only removes the oldest entries, so then every entry after it
 * is there too. Anything else is a gap: older than what trimming kept, newer than the head, from a
 * Redis that restarted empty, never handed out, not a stream id at all. (The holder of the very
 * last trimmed id also gets a gap, needlessly but safely: Redis does not record which id trimming
 * removed last; `max-deleted-entry-id` only follows XDEL.)
 */
export async function readAfter(
  conn: Redis,
  key: string,
  id: string,
  page: number,
  limit = Number.POSITIVE_INFINITY,
): Promise<ReplayResult> {
  if (!isStreamId(id) || id === ZERO_ID) {
    const info = await streamInfo(conn, key);
    return gap(info?.firstId ?? null, headOf(info));
  }
  // One atomic look: the first page from `id` (inclusive) and the oldest and newest ids for a gap.
  const replies =
    (await conn.multi().xrange(key, id, '+', 'COUNT', page).xinfo('STREAM', key).exec()) ?? [];
  const [rangeErr, range] = replies[0] ?? [];
  const [infoErr, infoReply] = replies[1] ?? [];
  if (rangeErr) throw rangeErr;
  if (infoErr) {
    if (isNoSuchKey(infoErr)) return gap(null, null);
    throw infoErr;
  }
  const first = range as RawStreamEntry[];
  const info = parseStreamInfo(infoReply);
  // The head is the last id Redis handed out, even if trimming removed it: resuming from it
  // misses nothing, where no id at all would resume from "now" and skip what came meanwhile.
  if (first[0]?.[0] !== id) return gap(info.firstId, headOf(info));
  let raw = first.slice(1);
  // The hub asked for one page (it reads again after it): no need to read the rest now.
  if (raw.length >= limit) return { kind: 'ok', entries: decodeEntries(raw.slice(0, limit)) };
  if (first.length === page) {
    const rest = await readFrom(conn, key, first[first.length - 1]![0], page);
    if (rest === undefined) {
      // Trimming overtook this replay between two pages: entries after `id` are gone.
      const now = await streamInfo(conn, key);
      return gap(now?.firstId ?? null, headOf(now));
    }
    raw = raw.concat(rest);
  }
  return { kind: 'ok', entries: decodeEntries(raw) };
}

/** Every retained entry, oldest first, read in pages. */
export async function readAll(conn: Redis, key: string, page: number): Promise<BrokerEntry[]> {
  for (let attempt = 0; ; attempt++) {
    const first = (await conn.xrange(key, '-', '+', 'COUNT', page)) as RawStreamEntry[];
    if (first.length < page) return decodeEntries(first);
    const rest = await readFrom(conn, key, first[first.length - 1]![0], page);
    if (rest !== undefined) return decodeEntries(first.concat(rest));
    // Trimmed while reading: start again from the new oldest entry (a few tries, then give up).
    if (attempt === 2) return decodeEntries(first);
  }
}

/**
 * The entries after `from`, page by page. Each page starts *at* the previous page's last id
 * (inclusive) and checks it is still there: trimming only removes the oldest entries, so while
 * that id is retained, so is everything after it, and the pages join without a hole. Undefined
 * when it was trimmed away mid-read.
 */
async function readFrom(
  conn: Redis,
  key: string,
  from: string,
  page: number,
): Promise<RawStreamEntry[] | undefined> {
  const out: RawStreamEntry[] = [];
  let last = from;
  for (;;) {
    const next = (await conn.xrange(key, last, '+', 'COUNT', page + 1)) as RawStreamEntry[];
    if (next[0]?.[0] !== last) return undefined;
    for (let i = 1; i < next.length; i++) out.push(next[i]!);
    if (next.length <= page) return out;
    last = next[next.length - 1]![0];
  }
}

/** The newest id handed out (null before the first): where a client told of a gap resumes. */
function headOf(info: { lastGeneratedId: string } | undefined): string | null {
  return info === undefined || info.lastGeneratedId === ZERO_ID ? null : info.lastGeneratedId;
}

function gap(oldestId: string | null, headId: string | null): ReplayResult {
  return { kind: 'gap', oldestId, headId };
}
