import type { EventSourceMessage } from 'eventsource-parser';
import type { CreateParser } from './load-parser.js';

/** Receives what one response's body contains. */
export interface ParsedStreamHandlers {
  onEvent(message: EventSourceMessage): void;
  onRetry(ms: number): void;
}

/** Bytes in, parsed events out, for one response (create a new one per connection). */
export interface ByteStreamParser {
  push(chunk: Uint8Array): void;
}

/**
 * Decodes and parses one `text/event-stream` body (HTML 9.2.6).
 *
 * - Always UTF-8 whatever the charset says, invalid bytes become U+FFFD, and one leading BOM is
 *   dropped: that is exactly what `TextDecoder('utf-8')` does, also when bytes split across chunks.
 * - A chunk ending in CR: the parser would hold that line until the next byte to see whether LF
 *   follows, delaying a complete event (or losing it at the end of the stream). We end the line
 *   at once by feeding CRLF, and drop the LF if the next chunk starts with one.
 */
export function createByteStreamParser(
  createParser: CreateParser,
  handlers: ParsedStreamHandlers,
): ByteStreamParser {
  const decoder = new TextDecoder('utf-8');
  const parser = createParser({ onEvent: handlers.onEvent, onRetry: handlers.onRetry });
  let skipLeadingLf = false;
  return {
    push(chunk) {
      let text = decoder.decode(chunk, { stream: true });
      if (text === '') return;
      if (skipLeadingLf && text.charCodeAt(0) === 10) text = text.slice(1);
      skipLeadingLf = text.charCodeAt(text.length - 1) === 13;
      if (skipLeadingLf) text += '\n';
      if (text !== '') parser.feed(text);
    },
  };
}
