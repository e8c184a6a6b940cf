import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Body,
  Controller,
  Get,
  type HeraldApplication,
  LastEventId,
  type MessageEvent,
  Module,
  Param,
  Post,
  Query,
  Sse,
} from 'herald';
import { IsEmail, IsInt, Max, Min } from 'class-validator';
import { of, type Observable } from 'rxjs';
import { memoryLogger, rawRequest, rawUntil, startApp } from '../app/http/start-app.js';

class FeedQuery {
  @IsEmail()
  email!: string;

  @IsInt()
  @Min(1)
  @Max(100)
  limit!: number;
}

@Controller()
class HostileController {
  @Get('items/:id')
  item(@Param('id') id: string) {
    return { id };
  }

  @Post('items')
  create(@Body() body: FeedQuery) {
    return body;
  }

  @Sse('feed')
  feed(@Query() query: FeedQuery): Observable<MessageEvent> {
    return of({ data: { email: query.email, limit: query.limit } });
  }

  // Echoes what `@LastEventId()` received, as data and (to try injection) as the event id.
  @Sse('resume')
  resume(@LastEventId() last: string | undefined): Observable<MessageEvent> {
    return of({ data: { last: last ?? null } });
  }

  @Sse('resume-as-id')
  resumeAsId(@LastEventId() last: string | undefined): Observable<MessageEvent> {
    return of({ id: last ?? '', data: 'x' });
  }
}

@Module({ controllers: [HostileController] })
class AppModule {}

/** The status code of a raw HTTP answer, or 0 when the server closed without one. */
function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
}

/** What no answer may carry: stack frames, file paths, internal error names. */
function assertNoLeak(answer: string): void {
  assert.doesNotMatch(
    answer,
    /\bat [\w.<>]+ \(|node:internal|\/src\/|\/dist\/|TypeError|URIError|HeraldError/,
  );
}

const malformed: Array<[string, string, number]> = [
  ['a request line that is not HTTP', 'GARBAGE\r\n\r\n', 400],
  ['an unknown method', 'BREW / HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n', 400],
  ['a NUL in a header value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n', 400],
  ['a bare CR in a header value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n', 400],
  ['a space before the colon', 'GET / HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n', 400],
  ['a control character in the path', 'GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['an unsupported HTTP version', 'GET / HTTP/7.1\r\nHost: x\r\n\r\n', 400],
  ['no Host header on HTTP/1.1', 'GET / HTTP/1.1\r\n\r\n', 400],
  [
    'Content-Length and Transfer-Encoding together (request smuggling)',
    'POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    400,
  ],
  [
    'two different Content-Lengths',
    'POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde',
    400,
  ],
  [
    'a chunk size that is not hex',
    'POST /items HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    400,
  ],
  [
    'malformed JSON',
    'POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\nConnection: close\r\n\r\n{"email":',
    400,
  ],
  // find-my-way treats a path it cannot percent-decode as matching no route.
  [
    'a malformed percent-encoding in a route parameter',
    'GET /items/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    404,
  ],
];

describe('hostile HTTP input', () => {
  let app: HeraldApplication;
  let url: string;
  const logger = memoryLogger();

  before(async () => {
    ({ app, url } = await startApp(AppModule, { logger, server: { maxHeaderSize: 8 * 1024 } }));
  });
  after(() => app.close());

  for (const [what, request, status] of malformed) {
    it(`answers ${status} to ${what}, and keeps serving`, async () => {
      const answer = await rawRequest(url, request);
      assert.equal(statusOf(answer), status, answer);
      assertNoLeak(answer);
      const ok = await fetch(`${url}/items/7`);
      assert.deepEqual(await ok.json(), { id: '7' });
    });
  }

  it('answers 431 to a request head larger than maxHeaderSize, and to a huge URL', async () => {
    const header = await rawRequest(
      url,
      `GET /items/1 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(9000)}\r\n\r\n`,
    );
    assert.equal(statusOf(header), 431);
    const line = await rawRequest(
      url,
      `GET /items/${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    assert.equal(statusOf(line), 431);
    const many = Array.from({ length: 2000 }, (_, i) => `X-${i}: y\r\n`).join('');
    assert.equal(statusOf(await rawRequest(url, `GET / HTTP/1.1\r\nHost: x\r\n${many}\r\n`)), 431);
  });

  it('answers 400 to query DTOs of the wrong shape, naming the fields and nothing internal', async () => {
    const bad = [
      '',
      '?email=not-an-email&limit=5',
      '?email=a@b.co&limit=1e400',
      '?email=a@b.co&limit=-1',
      '?email=a@b.co&email=c@d.co&limit=5',
      '?email=a@b.co&limit=5&limit=6',
      `?email=${'a'.repeat(5000)}@b.co&limit=5`,
      '?email=%F0%9F%98%80@b.co&limit=%00',
    ];
    for (const query of bad) {
      const res = await fetch(`${url}/feed${query}`, { headers: { Accept: 'text/event-stream' } });
      assert.equal(res.status, 400, query);
      const body = (await res.json()) as { message: string[] };
      assert.ok(Array.isArray(body.message) && body.message.length > 0, query);
      assertNoLeak(JSON.stringify(body));
    }
    const ok = await fetch(`${url}/feed?email=a@b.co&limit=5`);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /data: \{"email":"a@b.co","limit":5\}/);
  });

  it('does not let __proto__ or constructor keys pollute prototypes through a query or body', async () => {
    const queries = [
      '?__proto__[polluted]=1&email=a@b.co&limit=5',
      '?__proto__=x&email=a@b.co&limit=5',
      '?constructor[prototype][polluted]=1&email=a@b.co&limit=5',
    ];
    for (const q of queries) await (await fetch(`${url}/feed${q}`)).text();
    const bodies = [
      '{"__proto__":{"polluted":1},"email":"a@b.co","limit":5}',
      '{"constructor":{"prototype":{"polluted":1}},"email":"a@b.co","limit":5}',
    ];
    for (const body of bodies) {
      const res = await fetch(`${url}/items`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
      assert.ok(res.status === 201 || res.status === 400);
      await res.text();
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
  });
});

describe('Last-Event-ID from hostile clients', () => {
  let app: HeraldApplication;
  let url: string;

  before(async () => {
    ({ app, url } = await startApp(AppModule));
  });
  after(() => app.close());

  const resume = (headers: string, path = '/resume') =>
    rawUntil(
      url,
      `GET ${path} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`,
      /\r\n0\r\n\r\n|\r\n\r\n\{/,
    );

  it('passes garbage through as an opaque string', async () => {
    const garbage = `'"; DROP TABLE events; -- <script>${'%'.repeat(10)}\t{}[]`;
    const answer = await resume(`Last-Event-ID: ${garbage}\r\n`);
    assert.equal(statusOf(answer), 200);
    assert.ok(answer.includes(`data: ${JSON.stringify({ last: garbage.trim() })}\n`), answer);
  });

  it('passes a 12 KiB id through whole, and answers 431 past the head limit (16 KiB)', async () => {
    const long = 'x'.repeat(12 * 1024);
    const answer = await resume(`Last-Event-ID: ${long}\r\n`);
    assert.ok(answer.includes(`"last":"${long}"`));
    const huge = await rawRequest(
      url,
      `GET /resume HTTP/1.1\r\nHost: x\r\nLast-Event-ID: ${'x'.repeat(17 * 1024)}\r\n\r\n`,
    );
    assert.equal(statusOf(huge), 431);
  });

  it('hands non-ASCII bytes over as Node reads header bytes (one latin1 character per byte)', async () => {
    const utf8 = Buffer.from('évt-😀', 'utf8');
    const request = Buffer.concat([
      Buffer.from('GET /resume HTTP/1.1\r\nHost: x\r\nConnection: close\r\nLast-Event-ID: '),
      utf8,
      Buffer.from('\r\n\r\n'),
    ]);
    const answer = Buffer.from(await rawRequest(url, request), 'latin1').toString('utf8');
    assert.equal(statusOf(answer), 200);
    const data = JSON.parse(/data: (.*)\n/.exec(answer)![1]!) as { last: string };
    assert.equal(data.last, utf8.toString('latin1'));
    assert.equal(
      Buffer.from(data.last, 'latin1').toString('utf8'),
      'évt-😀',
      'recoverable as UTF-8',
    );
  });

  it('answers 400 to control characters in the header (Node refuses them)', async () => {
    for (const bad of ['a\0b', 'a\x01b', 'a\x7fb']) {
      const answer = await rawRequest(
        url,
        `GET /resume HTTP/1.1\r\nHost: x\r\nLast-Event-ID: ${bad}\r\n\r\n`,
      );
      assert.equal(statusOf(answer), 400, JSON.stringify(bad));
    }
  });

  it('cannot inject a field or event when a handler echoes a query lastEventId as an event id', async () => {
    const hostile = encodeURIComponent('1\r\nevent: pwned\r\ndata: injected\r\n\r\n');
    const answer = await rawRequest(
      url,
      `GET /resume-as-id?lastEventId=${hostile} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    // The encoder refuses the id before the stream starts: a plain 500, nothing on the wire.
    assert.equal(statusOf(answer), 500);
    assert.doesNotMatch(answer, /pwned|injected/);
    const fine = await rawRequest(
      url,
      `GET /resume-as-id?lastEventId=42 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    assert.match(fine, /id: 42\ndata: x\n\n/);
  });
});
