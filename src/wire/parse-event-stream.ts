/** One event as a browser dispatches it (HTML 9.2.6). */
export interface ParsedEvent {
  /** The `event:` field, `message` when absent or empty. */
  type: string;
  /** The `data:` lines joined with LF. */
  data: string;
  /** The stream's last event ID at dispatch (it persists across events until another `id:`). */
  id: string;
  /** Present when this event's own block had a valid `retry:` line. */
  retry?: number;
}

/**
 * The line-level parser this builds on: `createParser` of the `eventsource-parser` package, passed
 * in so that this module imports nothing (it runs in browsers, and the package is an optional peer
 * loaded only by the client and the testing kit).
 */
export type LineParserFactory = (callbacks: {
  onEvent: (message: { event?: string | undefined; data: string }) => void;
  onRetry: (ms: number) => void;
}) => { feed(chunk: string): void };

/** Bytes of one `text/event-stream` body in, dispatched events out. */
export interface EventStreamParser {
  push(chunk: Uint8Array): void;
  /** The last event ID string (HTML 9.2.6): set at each blank line, also by a block without data. */
  readonly lastEventId: string;
}

const LINE_END = /\r\n|\r|\n/;

/**
 * Parses one event-stream body exactly as a browser would, with `eventsource-parser` doing the
 * field rules. Lines are split here and fed one at a time, because the parser's callbacks do not
 * say where a block ends, and the spec ties two things to blocks:
 *
 * - a `retry:` belongs to the event of its own block (a retry-only block dispatches nothing);
 * - `id:` sets the last event ID buffer even when its block has no data, so it persists onto the
 *   next event (the parser drops id-only blocks).
 *
 * Decoding is UTF-8 whatever the charset says, with invalid bytes as U+FFFD and one leading BOM
 * dropped: `TextDecoder('utf-8')` does exactly that, also across chunk splits. A chunk ending in
 * CR ends its line at once (the next chunk's leading LF is then skipped), so an event is never held
 * back waiting for a byte that may not come. An unfinished block at the end is discarded (9.2.6).
 */
export function createEventStreamParser(
  createParser: LineParserFactory,
  onEvent: (event: ParsedEvent) => void,
  options: { lastEventId?: string; onRetry?: (ms: number) => void } = {},
): EventStreamParser {
  const decoder = new TextDecoder('utf-8');
  // The spec keeps two: the buffer an `id:` line sets at once, and the event source's last event ID,
  // which takes the buffer's value at each blank line (dispatch step 1, even for a block without
  // data) and is what a reconnect sends. An unterminated last block therefore changes nothing.
  let lastEventId = options.lastEventId ?? '';
  let idBuffer = lastEventId;
  let blockRetry: number | undefined;
  let pending = '';
  let skipLf = false;
  const parser = createParser({
    onRetry: (ms) => {
      blockRetry = ms;
      options.onRetry?.(ms);
    },
    onEvent: (message) => {
      const event: ParsedEvent = {
        type: message.event ?? 'message',
        data: message.data,
        id: lastEventId,
      };
      if (blockRetry !== undefined) event.retry = blockRetry;
      onEvent(event);
    },
  });
  // The decoder already dropped the one BOM the spec allows; this empty line makes the parser see
  // its first chunk now, so it does not strip a second BOM that belongs to the first field name.
  parser.feed('\n');

  const line = (text: string): void => {
    if (text === '') {
      lastEventId = idBuffer;
      parser.feed('\n');
      blockRetry = undefined;
      return;
    }
    const colon = text.indexOf(':');
    if ((colon === 2 && text.startsWith('id')) || text === 'id') {
      const value = text.slice(3).replace(/^ /, '');
      if (!value.includes('\0')) idBuffer = value;
    }
    parser.feed(`${text}\n`);
  };

  return {
    get lastEventId() {
      return lastEventId;
    },
    push(chunk) {
      let text = decoder.decode(chunk, { stream: true });
      if (text === '') return;
      if (skipLf) {
        skipLf = false;
        if (text.startsWith('\n')) text = text.slice(1);
        if (text === '') return;
      }
      skipLf = text.endsWith('\r');
      const parts = (pending + text).split(LINE_END);
      pending = parts.pop() ?? '';
      for (const part of parts) line(part);
    },
  };
}
