import type { Redis } from 'ioredis';

/** What `XINFO STREAM` says about the log, as far as the broker needs it. */
export interface StreamInfo {
  /** The newest id Redis handed out (even if that entry is gone). */
  readonly lastGeneratedId: string;
  /** Entries retained now. */
  readonly length: number;
  /**
   * Entries ever added (Redis 7; undefined before). More than `length` means some were trimmed.
   * Note Redis records no "last trimmed id": `max-deleted-entry-id` only follows XDEL.
   */
  readonly entriesAdded: number | undefined;
  /** The oldest retained entry's id, null when the stream is empty. */
  readonly firstId: string | null;
  /** The newest retained entry's id, null when the stream is empty. */
  readonly lastId: string | null;
}

/** Decodes an `XINFO STREAM` reply (a flat `[name, value, ...]` array). */
export function parseStreamInfo(reply: unknown): StreamInfo {
  const fields = new Map<string, unknown>();
  const flat = reply as unknown[];
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(String(flat[i]), flat[i + 1]);
  const entryId = (name: string): string | null => {
    const entry = fields.get(name) as [string, unknown] | null | undefined;
    return entry ? entry[0] : null;
  };
  const added = fields.get('entries-added');
  return {
    lastGeneratedId: String(fields.get('last-generated-id') ?? '0-0'),
    length: Number(fields.get('length') ?? 0),
    entriesAdded: added === undefined ? undefined : Number(added),
    firstId: entryId('first-entry'),
    lastId: entryId('last-entry'),
  };
}

/** True for the error Redis answers `XINFO STREAM` with when the key does not exist. */
export function isNoSuchKey(err: unknown): boolean {
  return err instanceof Error && /no such key/i.test(err.message);
}

/** The stream's info, or undefined when the key does not exist (never written, or Redis restarted empty). */
export async function streamInfo(conn: Redis, key: string): Promise<StreamInfo | undefined> {
  try {
    return parseStreamInfo(await conn.xinfo('STREAM', key));
  } catch (err) {
    if (isNoSuchKey(err)) return undefined;
    throw err;
  }
}
