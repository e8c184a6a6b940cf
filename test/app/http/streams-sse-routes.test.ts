import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventSource } from 'eventsource';
import {
  Controller,
  ConflictException,
  type HeraldApplication,
  Header,
  HttpCode,
  HttpException,
  LastEventId,
  type MessageEvent,
  Module,
  Query,
  SSE,
  SSEMessage,
  ServiceUnavailableException,
  Sse,
} from 'herald';
import { sse } from 'herald/testing';
import { Observable, interval, map, take } from 'rxjs';
import { memoryLogger, rawRequest, rawUntil, startApp } from './start-app.js';

@Controller('sse')
class StreamsController {
  @Sse('ticks')
  ticks(@LastEventId() last: string | undefined): Observable<MessageEvent> {
    const start = last === undefined ? 0 : Number(last) + 1;
    return interval(5).pipe(
      take(3),
      map((n) => ({
        id: String(start + n),
        type: n === 2 ? 'alert' : 'message',
        data: { n: start + n },
      })),
    );
  }

  @SSE('danet')
  danet(): EventTarget {
    const target = new EventTarget();
    setTimeout(() => {
      target.dispatchEvent(new SSEMessage({ id: '1', event: 'hello', data: 'world', retry: 1000 }));
      target.dispatchEvent(new SSEMessage({ id: '2', event: 'close', data: 'close' }));
    }, 5);
    return target;
  }

  @Sse('later')
  async later(): Promise<AsyncIterable<MessageEvent>> {
    await new Promise((r) => setTimeout(r, 5));
    return (async function* () {
      yield { data: 'from a promise' };
    })();
  }

  @Sse('nothing')
  nothing(@Query('why') _why: string) {
    return null;
  }

  @Sse('sync-throw')
  syncThrow(): Observable<MessageEvent> {
    throw new ConflictException('Already streaming');
  }

  @Sse('early-reject')
  async earlyReject(): Promise<Observable<MessageEvent>> {
    throw new ServiceUnavailableException('Hub is starting');
  }

  @Sse('subscribe-throw')
  subscribeThrow(): Observable<MessageEvent> {
    return new Observable(() => {
      throw new HttpException('No topic', 410);
    });
  }

  @Sse('not-a-stream')
  notAStream() {
    return 42 as unknown as Observable<MessageEvent>;
  }

  @Sse('late-error')
  lateError(@Query('kind') kind: string): Observable<MessageEvent> {
    return new Observable((sub) => {
      sub.next({ data: 'first' });
      setTimeout(() => {
        sub.error(
          kind === 'http' ? new ConflictException('Topic closed') : new Error('db down: hunter2'),
        );
      }, 5);
    });
  }

  @Sse('custom', { heartbeat: 20 })
  @HttpCode(203)
  @Header('X-Stream', 'yes')
  custom(): Observable<MessageEvent> {
    return new Observable(() => undefined);
  }

  @Sse('forever')
  forever(): Observable<MessageEvent> {
    return new Observable((sub) => {
      sub.next({ data: 'open' });
    });
  }
}

@Module({ controllers: [StreamsController] })
class AppModule {}

interface Got {
  type: string;
  data: string;
  id: string;
}

function listen(url: string, count: number, types: string[] = []): Promise<Got[]> {
  return new Promise((resolve, reject) => {
    const es = new EventSource(url);
    const got: Got[] = [];
    const timer = setTimeout(() => {
      es.close();
      reject(new Error(`timed out with ${JSON.stringify(got)}`));
    }, 30_000);
    for (const type of ['message', ...types]) {
      es.addEventListener(type, (e) => {
        got.push({ type: e.type, data: e.data, id: e.lastEventId });
        if (got.length === count) {
          clearTimeout(timer);
          es.close();
          resolve(got);
        }
      });
    }
  });
}

const head = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n'));
const get = (path: string, extra = '') =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nConnection: close\r\n${extra}\r\n`;

describe('@Sse routes', () => {
  let app: HeraldApplication;
  let url: string;
  const logger = memoryLogger();
  before(async () => {
    ({ app, url } = await startApp(AppModule, { logger, sse: { retry: 1500 } }));
  });
  after(() => app.close());

  it('streams an RxJS Observable to a real EventSource, with ids and custom types', async () => {
    const got = await listen(`${url}/sse/ticks`, 3, ['alert']);
    assert.deepEqual(got, [
      { type: 'message', data: '{"n":0}', id: '0' },
      { type: 'message', data: '{"n":1}', id: '1' },
      { type: 'alert', data: '{"n":2}', id: '2' },
    ]);
  });

  it('passes Last-Event-ID to the handler', async () => {
    const stream = await sse(app, '/sse/ticks', { lastEventId: '9' });
    assert.deepEqual(await stream.all(), [
      { type: 'message', data: '{"n":10}', id: '10' },
      { type: 'message', data: '{"n":11}', id: '11' },
      { type: 'alert', data: '{"n":12}', id: '12' },
    ]);
  });

  it('sends the app defaults (retry) and the required headers', async () => {
    const raw = await rawUntil(url, get('/sse/ticks'), /\r\n0\r\n\r\n/);
    assert.match(head(raw), /^HTTP\/1\.1 200 OK/);
    assert.match(head(raw), /content-type: text\/event-stream/i);
    assert.match(head(raw), /cache-control: no-cache, no-transform/i);
    assert.match(raw, /\r\n\r\n[\s\S]*retry: 1500\n/);
  });

  it("streams Danet's SSE + EventTarget + SSEMessage, ending on the close event", async () => {
    const stream = await sse(app, '/sse/danet');
    // all() resolves only once the server has ended the response.
    assert.deepEqual(await stream.all(), [
      { type: 'hello', data: 'world', id: '1', retry: 1000 },
      { type: 'close', data: 'close', id: '2' },
    ]);
  });

  it('awaits a Promise of a stream', async () => {
    const stream = await sse(app, '/sse/later');
    assert.deepEqual(await stream.all(), [{ type: 'message', data: 'from a promise', id: '' }]);
  });

  it('answers 204 when the handler returns null, so EventSource stops reconnecting', async () => {
    const res = await fetch(`${url}/sse/nothing`);
    assert.equal(res.status, 204);
    const state = await new Promise<number>((resolve) => {
      const es = new EventSource(`${url}/sse/nothing`);
      es.onerror = () => {
        resolve(es.readyState);
        es.close();
      };
    });
    assert.equal(state, EventSource.CLOSED);
  });

  it('answers a synchronous throw with its real status, before any stream byte', async () => {
    const raw = await rawRequest(url, get('/sse/sync-throw'));
    assert.match(raw, /^HTTP\/1\.1 409 Conflict/);
    assert.doesNotMatch(raw, /text\/event-stream/);
    assert.match(raw, /"message":"Already streaming"/);
  });

  it('answers a rejected handler promise with its real status', async () => {
    const stream = await sse(app, '/sse/early-reject');
    assert.equal(stream.status, 503);
    assert.equal((stream.body as { message: string }).message, 'Hub is starting');
  });

  it('answers an error thrown while subscribing with its real status', async () => {
    const stream = await sse(app, '/sse/subscribe-throw');
    assert.equal(stream.status, 410);
    assert.deepEqual(stream.body, { statusCode: 410, message: 'No topic', error: 'Gone' });
  });

  it('answers a value that is not a stream with 500, and logs it', async () => {
    logger.lines.length = 0;
    const res = await fetch(`${url}/sse/not-a-stream`);
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { statusCode: 500, message: 'Internal server error' });
    assert.ok(logger.lines.some((l) => l.level === 'error'));
  });

  it('reports an error after the first byte as an error event, hiding unknown messages', async () => {
    const http = await sse(app, '/sse/late-error', { query: { kind: 'http' } });
    assert.deepEqual(await http.all(), [
      { type: 'message', data: 'first', id: '' },
      { type: 'error', data: '{"statusCode":409,"message":"Topic closed"}', id: '' },
    ]);
    logger.lines.length = 0;
    const unknown = await sse(app, '/sse/late-error', { query: { kind: 'other' } });
    const events = await unknown.all();
    assert.deepEqual(events, [
      { type: 'message', data: 'first', id: '' },
      { type: 'error', data: '{"statusCode":500,"message":"Internal server error"}', id: '' },
    ]);
    assert.doesNotMatch(JSON.stringify(events), /hunter2/);
    assert.ok(
      logger.lines.some((l) => l.level === 'error' && l.args.some((a) => a instanceof Error)),
    );
  });

  it('applies @HttpCode, @Header and the route heartbeat', async () => {
    // Two heartbeat comments well before the 15 s default could send one: the route's 20 ms.
    const text = await rawUntil(url, get('/sse/custom'), /(\n:[^\n]*\n[\s\S]*){2}/, 10_000);
    assert.match(head(text), /^HTTP\/1\.1 203 /);
    assert.match(head(text), /x-stream: yes/i);
  });

  it('answers HEAD with the stream headers and no body', async () => {
    const res = await fetch(`${url}/sse/forever`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
  });
});
