import type { BrokerEntry, StoredEvent } from '../hub/broker.js';

/** Field names of a stream entry: short, since Redis stores them with every entry. */
export const TOPIC_FIELD = 't';
export const EVENT_FIELD = 'e';
/**
 * The one field of a floor entry: not an event but a loss marker (see `markerOf`), appended with
 * an explicit id just above the last id a process delivered, after Redis came back with older
 * data, so Redis hands out ids above it again. Its value is the id it floors.
 */
export const FLOOR_FIELD = 'floor';
/**
 * The one field of a loss entry: appended by a process that found entries Redis had acknowledged
 * to it missing after a failover (no feed had read them; the promoted replica never got them; see
 * AckLedger). Its value, the highest id lost, is for people reading the stream: as a loss marker
 * (`BrokerEntry.gap`) it stands for the entry's own id, since a client at any position below the
 * entry may have missed what was lost.
 */
export const LOST_FIELD = 'lost';

/** What a loss marker carries as its event: never framed (its topic is no subscriber's). */
const MARKER_EVENT = { type: 'herald:gap', data: '' };

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
  if (topic === undefined || json === undefined) return markerOf(id, fields);
  try {
    const event = JSON.parse(json) as StoredEvent;
    return typeof event === 'object' && event !== null ? { id, topic, event } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A floor or loss entry as a loss marker (see `BrokerEntry.gap`): a client below a floor's value
 * had not read every entry up to it, which Redis no longer holds; any client below a loss entry
 * may have missed what it names. Undefined for any other entry this broker did not write.
 */
function markerOf(id: string, fields: string[]): BrokerEntry | undefined {
  if (fields.length !== 2) return undefined;
  if (fields[0] === FLOOR_FIELD) return { id, topic: '', event: MARKER_EVENT, gap: fields[1]! };
  if (fields[0] === LOST_FIELD) return { id, topic: '', event: MARKER_EVENT, gap: id };
  return undefined;
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
