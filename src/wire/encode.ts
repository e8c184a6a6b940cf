import { HeraldError } from '../errors.js';
import type { WireEvent } from './message-event.js';

// WHATWG HTML 9.2.6: a line ends at CRLF, a lone CR or a lone LF. Data lines are split on all three so
// that each reaches the client as the same characters, joined back with LF by the parser.
const LINE_BREAK = /\r\n|\r|\n/;
// An id or event name is one field value: a line break would start a new field (injection), and a NUL
// in `id` makes the browser ignore the field (9.2.6 "If the field value does not contain U+0000 NULL").
const FIELD_FORBIDDEN = /[\r\n\0]/;

/**
 * Serializes one event to its text form, spec-exact, ending with the blank line that dispatches it.
 * Throws `HeraldError('INVALID_EVENT')` for anything that would not round-trip: an `id` or `type`
 * with CR, LF or NUL, a `retry` that is not a non-negative integer, data that has no JSON form.
 *
 * Field order is comment, event, id, retry, data; a client applies them all at the blank line.
 * Every `data:` line carries one space after the colon, which the parser strips, so data that itself
 * begins with a space keeps it.
 */
export function serializeEvent(event: WireEvent): string {
  if (event === null || typeof event !== 'object') {
    throw new HeraldError('INVALID_EVENT', `an event must be an object, got ${typeof event}`);
  }
  let out = '';
  const { comment, id, retry } = event;
  if (comment !== undefined && comment !== null) out += serializeComment(String(comment));
  const type = event.type ?? event.event;
  if (type !== undefined && type !== null && type !== '') {
    const name = String(type);
    if (FIELD_FORBIDDEN.test(name)) {
      throw new HeraldError('INVALID_EVENT', 'event type must not contain CR, LF or NUL');
    }
    out += `event: ${name}\n`;
  }
  if (id !== undefined && id !== null) {
    const value = String(id);
    if (FIELD_FORBIDDEN.test(value)) {
      throw new HeraldError('INVALID_EVENT', 'event id must not contain CR, LF or NUL');
    }
    out += `id: ${value}\n`;
  }
  if (retry !== undefined && retry !== null) {
    if (!Number.isSafeInteger(retry) || retry < 0) {
      throw new HeraldError('INVALID_EVENT', `retry must be a non-negative integer, got ${retry}`);
    }
    out += `retry: ${retry}\n`;
  }
  const data = event.data;
  if (data !== undefined) out += serializeData(data);
  else if (out === '') throw new HeraldError('INVALID_EVENT', 'an event needs data or a comment');
  return `${out}\n`;
}

/** The `data:` lines of one value: a string as is, anything else as JSON. */
export function serializeData(data: unknown): string {
  let text: string;
  if (typeof data === 'string') {
    text = data;
  } else {
    let json: string | undefined;
    try {
      json = JSON.stringify(data);
    } catch (cause) {
      throw new HeraldError('INVALID_EVENT', 'event data cannot be serialized to JSON', { cause });
    }
    if (json === undefined) {
      throw new HeraldError('INVALID_EVENT', `event data of type ${typeof data} has no JSON form`);
    }
    // JSON.stringify escapes CR and LF inside strings, so JSON is always one line.
    return `data: ${json}\n`;
  }
  if (!LINE_BREAK.test(text)) return `data: ${text}\n`;
  let out = '';
  for (const line of text.split(LINE_BREAK)) out += `data: ${line}\n`;
  return out;
}

/** `:` comment lines (one per line of `text`); a client ignores them. No blank line is added. */
export function serializeComment(text: string): string {
  if (!LINE_BREAK.test(text)) return `: ${text}\n`;
  let out = '';
  for (const line of text.split(LINE_BREAK)) out += `: ${line}\n`;
  return out;
}

/**
 * Encodes one event to UTF-8 bytes ready for any number of sockets.
 *
 * @example
 * encodeEvent({ data: { hello: 'world' }, type: 'greeting', id: '7' });
 * // <Buffer "event: greeting\nid: 7\ndata: {\"hello\":\"world\"}\n\n">
 */
export function encodeEvent(event: WireEvent): Buffer {
  return Buffer.from(serializeEvent(event), 'utf8');
}
