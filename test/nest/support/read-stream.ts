import { createParser } from 'eventsource-parser';

/** One event as a browser's EventSource would dispatch it. */
export interface StreamEvent {
  type: string;
  data: string;
  id: string | undefined;
}

/** A response read as an event stream, as it arrives. */
export interface OpenStream {
  status: number;
  headers: Headers;
  /** The whole body, for answers that are not streams (JSON refusals). */
  body: string | undefined;
  events: StreamEvent[];
  /** Every byte read so far, as text. */
  text(): string;
  /** The last `retry:` the server sent. */
  retry(): number | undefined;
  /** Heartbeat comments seen. */
  comments(): number;
  /** True once the server ended the body. */
  ended(): boolean;
  /** Waits (polling, generous default) until `check` holds. */
  until(check: () => boolean, what: string, ms?: number): Promise<void>;
  close(): void;
}

/** Options of {@link openStream}. */
export interface StreamRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  lastEventId?: string;
}

/** Opens `url` with fetch and parses what comes back; non-stream answers are read whole. */
export async function openStream(url: string, req: StreamRequest = {}): Promise<OpenStream> {
  const abort = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', ...req.headers };
  if (req.lastEventId !== undefined) headers['last-event-id'] = req.lastEventId;
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method: req.method ?? 'GET',
    headers,
    body: req.body === undefined ? null : JSON.stringify(req.body),
    signal: abort.signal,
  });
  const events: StreamEvent[] = [];
  let text = '';
  let retry: number | undefined;
  let comments = 0;
  let ended = false;
  const isStream = res.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
  const body = isStream ? undefined : await res.text();
  if (isStream) {
    const parser = createParser({
      onEvent: (e) => events.push({ type: e.event ?? 'message', data: e.data, id: e.id }),
      onRetry: (ms) => {
        retry = ms;
      },
      onComment: () => {
        comments++;
      },
    });
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          const piece = decoder.decode(chunk, { stream: true });
          text += piece;
          parser.feed(piece);
        }
      } catch {
        // Aborted by close(), or cut by the server.
      }
      ended = true;
    })();
  }
  return {
    status: res.status,
    headers: res.headers,
    body,
    events,
    text: () => text,
    retry: () => retry,
    comments: () => comments,
    ended: () => ended,
    async until(check, what, ms = 10_000) {
      const end = Date.now() + ms;
      while (!check()) {
        if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms; got ${text}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => abort.abort(),
  };
}
