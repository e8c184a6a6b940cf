import type { BrokerEntry, StoredEvent } from '../hub/broker.js';

/** Field names of a stream entry: short, since Redis stores them with every entry. */
export const TOPIC_FIELD = 't';
export const EVENT_FIELD = 'e';
/**
 * The one field of a floor entry: not an event (readers skip it), appended with an explicit id
 * just above the last id a process delivered, after Redis came back with older data, so Redis
 * hands out ids above it again. Its value is the id it floors.
 */
export const FLOOR_FIELD = 'floor';

/** An entry as XRANGE and XREAD return it: `[id, [field, value, field, value, ...]]`. */
export type RawStreamEntry = [id: string, fields: string[]];

/** The stream fields of one event: its topic and its JSON (`data`, `type`, `retry`, ...). */
export function entryFields(topic: string, event: StoredEvent): [string, string, string, string] {
  return [TOPIC_FIELD, topic, EVENT_FIELD, JSON.stringify(event)];
}

/**
 * Decodes a raw entry, or undefined for one this broker did not write (another tool sharing the
 * key): such entries are skipped, never delivered half-read.
 */
export function decodeEntry([id, fields]: RawStreamEntry): BrokerEntry | undefined {
  let topic: string | undefined;
  let json: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === TOPIC_FIELD) topic = fields[i + 1];
    else if (fields[i] === EVENT_FIELD) json = fields[i + 1];
  }
  if (topic === undefined || json === undefined) return undefined;
  try {
    const event = JSON.parse(json) as StoredEvent;
    return typeof event === 'object' && event !== null ? { id, topic, event } : undefined;
  } catch {
    return undefined;
  }
}

/** An entry's approximate size in memory once decoded and framed: twice its field text, plus ids. */
export function entrySize([id, fields]: RawStreamEntry): number {
  let size = 96 + 2 * id.length;
  for (const f of fields) size += 2 * f.length;
  return size;
}

/** Decodes every entry this broker wrote, in order. */
export function decodeEntries(raw: readonly RawStreamEntry[]): BrokerEntry[] {
  const out: BrokerEntry[] = [];
  for (const r of raw) {
    const entry = decodeEntry(r);
    if (entry !== undefined) out.push(entry);
  }
  return out;
}
