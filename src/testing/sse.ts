import { createEventStreamParser } from '../wire/parse-event-stream.js';
import { loadParser } from './load-parser.js';
import { type OpenedResponse, openRequest, type TransportOptions } from './open-request.js';
import type { TestEvent } from './test-event.js';
import { TestEventStream } from './test-event-stream.js';

/** An app to call: a `TestApp` (`url`), a `HeraldApplication` (`getUrl()`), or a base URL. */
export type SseTarget = string | URL | { readonly url: string } | { getUrl(): string };

/** Query values: repeated keys as arrays. */
export type SseQuery = Record<
  string,
  string | number | boolean | ReadonlyArray<string | number | boolean>
>;

/** Options of {@link sse}. */
export interface SseOptions extends TransportOptions {
  /** Request headers (`Accept: text/event-stream` is sent unless given). */
  headers?: HeadersInit;
  /** Sent as `Last-Event-ID`, as a browser does when it reconnects. */
  lastEventId?: string;
  /** Appended to the path's own query string. */
  query?: SseQuery | URLSearchParams;
  /** Parse every event's data as JSON; data that is not JSON fails the stream. Default false. */
  json?: boolean;
  /** Milliseconds to wait for the response head (and a non-stream body). Default 5000. */
  timeout?: number;
}

/**
 * Opens `GET path` on an app as an event stream (a connection of its own: node:http or node:https,
 * or node:http2 with `http2: true`) and
 * resolves once the response head has arrived, with its `status` and `headers`. An event-stream
 * answer is parsed as a browser would (WHATWG HTML 9.2.6, with `eventsource-parser`) and buffered
 * from the first byte; any other answer (a 403 from a guard, a 400 from a DTO, a 204) is read
 * whole into `body`, JSON-parsed, and waiting for its events fails with the status and body.
 *
 * @example
 * const stream = await sse(app, '/notifications', { lastEventId: '41', json: true });
 * assert.equal(stream.status, 200);
 * const [first] = await stream.take(1);
 * assert.equal(first.id, '42');
 * await stream.close();
 */
export function sse<Data = unknown>(
  target: SseTarget,
  path: string,
  options: SseOptions & { json: true },
): Promise<TestEventStream<Data>>;
export function sse(
  target: SseTarget,
  path: string,
  options?: SseOptions & { json?: false },
): Promise<TestEventStream<string>>;
export async function sse(
  target: SseTarget,
  path: string,
  options: SseOptions = {},
): Promise<TestEventStream<unknown>> {
  const createParser = await loadParser();
  const url = new URL(path, baseOf(target));
  for (const [key, value] of queryEntries(options.query)) url.searchParams.append(key, value);
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  for (const [key, value] of new Headers(options.headers)) headers[key] = value;
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const label = `GET ${url.pathname}${url.search}`;
  const ms = options.timeout ?? 5_000;

  const opened = openRequest(url, headers, options);
  const { close } = opened;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void close();
      reject(new Error(`${label}: no response within ${ms} ms`));
    }, ms);
  });
  let res: OpenedResponse;
  try {
    res = await Promise.race([opened.response, timedOut]);
  } catch (cause) {
    clearTimeout(timer);
    if (cause instanceof Error && cause.message.startsWith(label)) throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`${label} failed: ${message}`, { cause });
  }
  const { status, headers: responseHeaders, body: stream } = res;
  const type = responseHeaders.get('content-type') ?? '';
  if (/^text\/event-stream\b/i.test(type)) {
    clearTimeout(timer);
    return new TestEventStream<unknown>({
      label,
      status,
      headers: responseHeaders,
      body: undefined,
      close,
      start: (sink) => {
        const deliver = (event: TestEvent): void => {
          if (options.json !== true) {
            sink.event(event);
            return;
          }
          try {
            sink.event({ ...event, data: JSON.parse(event.data) });
          } catch {
            sink.fail(new Error(`${label}: event data is not JSON: ${JSON.stringify(event)}`));
          }
        };
        const parser = createEventStreamParser(createParser, deliver);
        stream.on('data', (chunk: Buffer) => parser.push(chunk));
        stream.once('close', () =>
          sink.end(res.complete ? 'the server ended the stream' : 'the connection broke off'),
        );
      },
    });
  }
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await Promise.race([new Promise((r) => stream.once('end', r)), timedOut]);
  clearTimeout(timer);
  const body = bodyOf(Buffer.concat(chunks).toString('utf8'), type);
  const shown = typeof body === 'string' ? body : JSON.stringify(body);
  const refusal = new Error(
    `${label} answered ${status}${type ? ` ${type}` : ''}, not an event stream` +
      (shown === undefined ? '' : `: ${shown}`),
  );
  return new TestEventStream<unknown>({
    label,
    status,
    headers: responseHeaders,
    body,
    refusal,
    close,
  });
}

function baseOf(target: SseTarget): string | URL {
  if (typeof target === 'string' || target instanceof URL) return target;
  return 'url' in target ? target.url : target.getUrl();
}

function queryEntries(query: SseOptions['query']): Array<[string, string]> {
  if (query === undefined) return [];
  if (query instanceof URLSearchParams) return [...query];
  return Object.entries(query).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((v): [string, string] => [key, String(v)]),
  );
}

/** JSON when the type says so and it parses, the text otherwise, undefined when empty. */
function bodyOf(text: string, type: string): unknown {
  if (text === '') return undefined;
  if (!/[/+]json\b/i.test(type)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
