import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createParser } from 'eventsource-parser';
import { createEventStreamParser } from '#herald/wire/parse-event-stream.js';
import type { TestEvent } from 'herald/testing';
import { sse } from 'herald/testing';
import { startServer } from '../support/http-server.js';

/** Cases of HTML 9.2.6 the parser's callbacks alone would get wrong, and the usual corners. */
const CASES: Array<{ name: string; body: string; events: TestEvent[] }> = [
  {
    name: 'BOM, comment, CR / LF / CRLF endings, multibyte UTF-8, id persistence and reset',
    body:
      '\uFEFF: hello\r\nretry: 1500\r\n\r\nid: 1\r\nevent: alert\ndata: é€😀\rdata: two\n\n' +
      'data: keeps 1\n\nid\n\ndata: id reset\n\nid: 7\n\ndata: id-only block\nretry: 40\n\n' +
      'retry: x\ndata: bad retry\n\nid: 8\0\ndata: NUL id ignored\n\ndata: unfinished',
    events: [
      { type: 'alert', data: 'é€😀\ntwo', id: '1' },
      { type: 'message', data: 'keeps 1', id: '1' },
      { type: 'message', data: 'id reset', id: '' },
      { type: 'message', data: 'id-only block', id: '7', retry: 40 },
      { type: 'message', data: 'bad retry', id: '7' },
      { type: 'message', data: 'NUL id ignored', id: '7' },
    ],
  },
  {
    name: 'only one BOM is dropped',
    body: '\uFEFF\uFEFFdata: x\n\ndata: y\n\n',
    events: [{ type: 'message', data: 'y', id: '' }],
  },
  {
    name: 'empty data lines, empty event type, field without colon',
    body: 'data\ndata:\nevent:\n\ndata:  two spaces\n\n',
    events: [
      { type: 'message', data: '\n', id: '' },
      { type: 'message', data: ' two spaces', id: '' },
    ],
  },
];

function parseChunks(chunks: Uint8Array[]): TestEvent[] {
  const events: TestEvent[] = [];
  const parser = createEventStreamParser(createParser, (e) => events.push(e));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe('event-stream parsing', () => {
  for (const { name, body, events } of CASES) {
    it(`${name}, split at every byte`, () => {
      const bytes = new TextEncoder().encode(body);
      assert.deepEqual(parseChunks([bytes]), events);
      for (let i = 0; i <= bytes.length; i++) {
        const got = parseChunks([bytes.subarray(0, i), bytes.subarray(i)]);
        assert.deepEqual(got, events, `split at byte ${i}`);
      }
      const single = [...bytes].map((b) => Uint8Array.of(b));
      assert.deepEqual(parseChunks(single), events, 'one byte at a time');
    });
  }

  it('dispatches an event whose chunk ends in CR at once, without waiting for the next byte', () => {
    const events: TestEvent[] = [];
    const parser = createEventStreamParser(createParser, (e) => events.push(e));
    parser.push(new TextEncoder().encode('data: now\r\r'));
    assert.deepEqual(events, [{ type: 'message', data: 'now', id: '' }]);
    parser.push(new TextEncoder().encode('\ndata: next\n\n'));
    assert.equal(events.length, 2);
  });

  it('reads a body sent over a real socket in awkward pieces', async () => {
    const { body, events } = CASES[0]!;
    const bytes = Buffer.from(body);
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      // Split inside the 4-byte emoji and between CR and LF.
      const cuts = [bytes.indexOf('😀') + 2, bytes.indexOf('\r\n') + 1, bytes.length].sort(
        (a, b) => a - b,
      );
      let at = 0;
      const next = (): void => {
        const end = cuts.shift();
        if (end === undefined) return void res.end();
        res.write(bytes.subarray(at, end));
        at = end;
        setTimeout(next, 5);
      };
      next();
    });
    try {
      const stream = await sse(server.url, '/');
      assert.deepEqual(await stream.all(), events);
    } finally {
      await server.close();
    }
  });
});
