/*
 * Conformance with the WHATWG event stream format (HTML 9.2.6), as the web-platform-tests check it.
 *
 * The cases below are ported from web-platform-tests, https://github.com/web-platform-tests/wpt,
 * folder eventsource/, files format-*.any.js / format-*.window.js and their resources/*.py servers.
 * Copyright 2019 web-platform-tests contributors. Licensed under the 3-Clause BSD License; the full
 * text is in test/client/WPT-LICENSE.
 *
 * Each case is the body (and Content-Type) the WPT server sends and the events the WPT test expects.
 * Every case runs three ways against a local node:http server: the body in one write, split in two
 * writes at every byte position, and one write per byte.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, HeraldClientError, ReadyState, type ServerEvent } from 'herald/client';
import { openStream, startServer, type TestServer, writeChunks } from './support/sse-server.js';

type Expected = { data: string; type?: string; id?: string; retry?: number };

interface WptCase {
  /** The WPT file the case comes from. */
  readonly wpt: string;
  readonly contentType?: string;
  /** The response body, given the request's Last-Event-ID (like last-event-id.py). */
  readonly body: (lastEventId: string | undefined) => string;
  /** Events in order; with `reconnects`, the first N events across reconnections. */
  readonly expect: readonly Expected[] | { readonly error: 'CONTENT_TYPE' };
  /** The case needs the client to reconnect (the server's `retry:` sets the delay). */
  readonly reconnects?: boolean;
  /** `stream.lastEventId` after the stream ended. */
  readonly lastEventId?: string;
}

/** resources/message.py: `message + ("" if newline == "none" else "\n\n") + "\n"`. */
const message =
  (text: string, newline: 'none' | 'default' = 'default') =>
  () =>
    `${text}${newline === 'none' ? '' : '\n\n'}\n`;

/** resources/last-event-id.py: echoes Last-Event-ID as data, else sends an id (default U+2026). */
const lastEventIdPy =
  (idValue = '\u2026') =>
  (lastEventId: string | undefined) =>
    lastEventId ? `data: ${lastEventId}\n\n` : `id: ${idValue}\nretry: 200\ndata: hello\n\n`;

const longString = 'x'.repeat(2 * 1024);

const cases: readonly WptCase[] = [
  {
    wpt: 'format-bom',
    body: message('\uFEFFdata:1\n\n\uFEFFdata:2\n\ndata:3'),
    expect: [{ data: '1' }, { data: '3' }],
  },
  {
    wpt: 'format-bom-2',
    body: message('\uFEFF\uFEFFdata:1\n\ndata:2\n\ndata:3'),
    expect: [{ data: '2' }, { data: '3' }],
  },
  {
    wpt: 'format-comments',
    body: message(
      `data:1\r:\0\n:\r\ndata:2\n:${longString}\rdata:3\n:data:fail\r:${longString}\ndata:4\n`,
      'none',
    ),
    expect: [{ data: '1\n2\n3\n4' }],
  },
  {
    wpt: 'format-data-before-final-empty-line',
    body: message('retry:1000\ndata:test1\n\nid:test\ndata:test2', 'none'),
    expect: [{ data: 'test1', retry: 1000 }],
    lastEventId: '',
  },
  {
    wpt: 'format-field-data',
    body: message('data:\n\ndata\ndata\n\ndata:test'),
    expect: [{ data: '' }, { data: '\n' }, { data: 'test' }],
  },
  {
    wpt: 'format-field-event',
    body: message('event:test\ndata:x\n\ndata:x'),
    expect: [{ type: 'test', data: 'x' }, { data: 'x' }],
  },
  {
    wpt: 'format-field-event-empty',
    body: message('event: \ndata:data'),
    expect: [{ data: 'data' }],
  },
  {
    wpt: 'format-field-id',
    body: lastEventIdPy(),
    reconnects: true,
    expect: [
      { data: 'hello', id: '\u2026', retry: 200 },
      { data: '\u2026', id: '\u2026' },
    ],
  },
  {
    wpt: 'format-field-id-2',
    body: lastEventIdPy(),
    reconnects: true,
    expect: [
      { data: 'hello', id: '\u2026', retry: 200 },
      { data: '\u2026', id: '\u2026' },
      { data: '\u2026', id: '\u2026' },
    ],
  },
  {
    wpt: 'format-field-id-3 (lastEventId persists)',
    body: () => 'id: 1\ndata: 1\n\ndata: 2\n\nid: 2\ndata:3\n\ndata:4\n\n',
    expect: [
      { data: '1', id: '1' },
      { data: '2', id: '1' },
      { data: '3', id: '2' },
      { data: '4', id: '2' },
    ],
    lastEventId: '2',
  },
  {
    wpt: 'format-field-id-3 (lastEventId resets)',
    body: () => 'id: 1\ndata: 1\n\nid:\ndata:2\n\ndata:3\n\n',
    expect: [
      { data: '1', id: '1' },
      { data: '2', id: '' },
      { data: '3', id: '' },
    ],
    lastEventId: '',
  },
  {
    wpt: 'format-field-id-3 (lastEventId resets, id without colon)',
    body: () => 'id: 1\ndata: 1\n\nid\ndata:2\n\ndata:3\n\n',
    expect: [
      { data: '1', id: '1' },
      { data: '2', id: '' },
      { data: '3', id: '' },
    ],
    lastEventId: '',
  },
  ...['\0\0', 'x\0', '\0x', 'x\0x', ' \0'].map(
    (idValue): WptCase => ({
      wpt: `format-field-id-null (id ${JSON.stringify(idValue)})`,
      body: lastEventIdPy(idValue),
      reconnects: true,
      expect: [
        { data: 'hello', id: '', retry: 200 },
        { data: 'hello', id: '', retry: 200 },
      ],
    }),
  ),
  {
    wpt: 'format-field-parsing',
    body: message(
      'data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n',
      'none',
    ),
    expect: [{ data: '\0\n 2\n1\n3\n\n4' }],
  },
  {
    // The WPT test times the reconnection (3 s); the parsed value is what it checks.
    wpt: 'format-field-retry',
    body: message('retry:03000\ndata:x'),
    expect: [{ data: 'x', retry: 3000 }],
  },
  {
    wpt: 'format-field-retry-bogus',
    body: message('retry:3000\nretry:1000x\ndata:x'),
    expect: [{ data: 'x', retry: 3000 }],
  },
  {
    wpt: 'format-field-retry-empty',
    body: message('retry\ndata:test'),
    expect: [{ data: 'test' }],
  },
  {
    wpt: 'format-field-unknown',
    body: message(
      'data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test',
    ),
    expect: [{ data: 'test\n\ntest' }],
  },
  {
    wpt: 'format-leading-space',
    body: message('data:\ttest\rdata: \ndata:test'),
    expect: [{ data: '\ttest\n\ntest' }],
  },
  {
    wpt: 'format-mime-bogus',
    contentType: 'x bogus',
    body: message('data: data'),
    expect: { error: 'CONTENT_TYPE' },
  },
  {
    wpt: 'format-mime-trailing-semicolon',
    contentType: 'text/event-stream;',
    body: message('data: data'),
    expect: [{ data: 'data' }],
  },
  {
    wpt: 'format-mime-valid-bogus',
    contentType: 'text/x-bogus',
    body: message('data: data'),
    expect: { error: 'CONTENT_TYPE' },
  },
  {
    wpt: 'format-newlines',
    body: message('data:test\r\ndata\ndata:test\r\n\r', 'none'),
    expect: [{ data: 'test\n\ntest' }],
  },
  {
    wpt: 'format-null-character',
    body: message('data:\0\n\n'),
    expect: [{ data: '\0' }],
  },
  {
    wpt: 'format-utf-8',
    contentType: 'text/event-stream;charset=windows-1252',
    body: message('data:ok\u2026'),
    expect: [{ data: 'ok\u2026' }],
  },
];

type Split = (bytes: Uint8Array) => Uint8Array[];
const whole: Split = (bytes) => [bytes];
const at =
  (k: number): Split =>
  (bytes) =>
    k > 0 && k < bytes.length ? [bytes.subarray(0, k), bytes.subarray(k)] : [bytes];
const everyByte: Split = (bytes) => Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));

interface Run {
  readonly events: ServerEvent<string, unknown>[];
  readonly error: unknown;
  readonly lastEventId: string;
  readonly requests: number;
  /** Chunks the client read, and writes the server made (each waited for the previous read). */
  readonly reads: number;
  readonly writes: number;
}

/** Bytes the client has read for one run, and the server's waits for them. */
class Delivery {
  received = 0;
  reads = 0;
  #waiters: { bytes: number; resolve(): void }[] = [];

  read(chunk: Uint8Array): void {
    this.received += chunk.length;
    this.reads += 1;
    this.#waiters = this.#waiters.filter((w) =>
      w.bytes <= this.received ? void w.resolve() : true,
    );
  }

  until(bytes: number): Promise<void> {
    if (bytes <= this.received) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ bytes, resolve }));
  }
}

let server: TestServer;
interface RunState {
  readonly wptCase: WptCase;
  readonly split: Split;
  readonly delivery: Delivery;
  sent: number;
  writes: number;
}
const runs = new Map<string, RunState>();
let nextRun = 0;

before(async () => {
  server = await startServer(async (req, res) => {
    const run = runs.get(req.path.slice(1));
    if (run === undefined) return void res.writeHead(404).end();
    openStream(res, run.wptCase.contentType);
    const bytes = new TextEncoder().encode(run.wptCase.body(req.lastEventId));
    const start = run.sent;
    const chunks = run.split(bytes);
    run.sent += bytes.length;
    run.writes += chunks.length;
    // Counted across the run's responses: they follow each other, never overlap.
    await writeChunks(res, chunks, (written) => run.delivery.until(start + written));
    res.end();
  });
});
after(() => server.close());

async function run(wptCase: WptCase, split: Split): Promise<Run> {
  const id = String(nextRun++);
  const delivery = new Delivery();
  const state: RunState = { wptCase, split, delivery, sent: 0, writes: 0 };
  runs.set(id, state);
  // Passes the body through untouched, counting what the client reads and when.
  const countingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (response.body === null) return response;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        delivery.read(chunk);
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(counter), response);
  };
  const expected = Array.isArray(wptCase.expect) ? wptCase.expect : [];
  const stream = connect<Record<string, unknown>>(`${server.url}/${id}`, {
    fetch: countingFetch,
    retry: wptCase.reconnects ? { initial: 10, jitter: 0 } : false,
  });
  const events: ServerEvent<string, unknown>[] = [];
  let error: unknown;
  try {
    for await (const event of stream) {
      events.push(event);
      if (wptCase.reconnects && events.length === expected.length) break;
    }
  } catch (caught) {
    error = caught;
  }
  assert.equal(stream.readyState, ReadyState.CLOSED);
  runs.delete(id);
  const requests = server.requests.filter((r) => r.path === `/${id}`).length;
  const { reads } = delivery;
  return { events, error, lastEventId: stream.lastEventId, requests, reads, writes: state.writes };
}

function check(wptCase: WptCase, result: Run, label: string): void {
  if (!Array.isArray(wptCase.expect)) {
    const { error } = wptCase.expect as { error: string };
    assert.ok(result.error instanceof HeraldClientError, `${label}: expected an error`);
    assert.equal(result.error.code, error, label);
    assert.equal(result.error.fatal, true, label);
    assert.deepEqual(result.events, [], label);
    assert.equal(result.requests, 1, `${label}: a fatal error does not reconnect`);
    return;
  }
  assert.equal(result.error, undefined, label);
  assert.ok(
    result.reads >= result.writes,
    `${label}: ${result.writes} writes, ${result.reads} reads`,
  );
  const expected = wptCase.expect.map(({ type = 'message', data, id = '', retry }) =>
    retry === undefined ? { type, data, id } : { type, data, id, retry },
  );
  assert.deepEqual(result.events, expected, label);
  if (wptCase.lastEventId !== undefined) {
    assert.equal(result.lastEventId, wptCase.lastEventId, `${label}: lastEventId`);
  }
}

/** Runs `tasks` with at most `limit` at a time. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

describe('parses event streams as the web-platform-tests format-* cases expect', {
  concurrency: true,
}, () => {
  for (const wptCase of cases) {
    test(`${wptCase.wpt}: body in one write`, async () => {
      check(wptCase, await run(wptCase, whole), 'whole');
    });
  }
});

/**
 * Every byte position, except inside runs of 64+ equal bytes (the 2 KiB comments of
 * format-comments), where the parser's state is the same at each position: there the first and
 * last 4 positions and every 64th are kept. This keeps the suite at seconds.
 */
function splitPositions(bytes: Uint8Array): number[] {
  const positions: number[] = [];
  let runStart = 0;
  for (let k = 1; k < bytes.length; k++) {
    if (bytes[k] !== bytes[k - 1]) runStart = k;
    let runEnd = k;
    while (runEnd < bytes.length && bytes[runEnd] === bytes[k]) runEnd++;
    const inside = k - runStart;
    const toEnd = runEnd - k;
    const longRun = runEnd - runStart >= 64;
    if (!longRun || inside < 4 || toEnd <= 4 || inside % 64 === 0) positions.push(k);
  }
  return positions;
}

describe('parses the same bodies split in two writes at every byte position', {
  concurrency: true,
}, () => {
  for (const wptCase of cases) {
    test(`${wptCase.wpt}: every split position`, async () => {
      const positions = splitPositions(new TextEncoder().encode(wptCase.body(undefined)));
      const results = await pool(
        positions.map((k) => () => run(wptCase, at(k))),
        64,
      );
      results.forEach((result, i) => {
        check(wptCase, result, `split at byte ${positions[i]}`);
      });
    });
  }
});

describe('parses the same bodies delivered one byte per write', { concurrency: true }, () => {
  for (const wptCase of cases) {
    test(`${wptCase.wpt}: one byte per write`, async () => {
      check(wptCase, await run(wptCase, everyByte), 'byte by byte');
    });
  }
});
