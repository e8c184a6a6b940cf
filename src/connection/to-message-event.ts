import { HeraldError } from '../errors.js';
import type { MessageEvent } from '../wire/message-event.js';

/**
 * What a source yielded, as a MessageEvent. A string is shorthand for `{ data: string }`; an object
 * must carry `data` (or be a comment-only event). Anything else is a programming error reported as
 * `INVALID_EVENT`, rather than guessed at: `{ hello: 'world' }` might be meant as data or not.
 */
export function toMessageEvent(item: unknown): MessageEvent<unknown> {
  if (typeof item === 'string') return { data: item };
  if (item !== null && typeof item === 'object') {
    const event = item as MessageEvent<unknown>;
    if (event.data !== undefined || event.comment !== undefined) return event;
    throw new HeraldError(
      'INVALID_EVENT',
      'a stream item must be a MessageEvent ({ data, id?, type?, retry? }) or a string; got an object without data',
    );
  }
  throw new HeraldError(
    'INVALID_EVENT',
    `a stream item must be a MessageEvent or a string; got ${typeof item}`,
  );
}
