import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ConflictException,
  Controller,
  type HeraldApplication,
  type MessageEvent,
  Module,
  Sse,
} from 'herald';
import { Observable, throwError } from 'rxjs';
import { rawRequest, startApp } from './start-app.js';

@Controller('sse')
class FailingController {
  /** Valid events, then one that cannot go on the wire, all while being subscribed. */
  @Sse('then-invalid')
  thenInvalid(): Observable<MessageEvent> {
    return new Observable((sub) => {
      sub.next({ data: 'one' });
      sub.next({ id: '2', data: 'two' });
      sub.next({ id: 'a\nevent: injected', data: 'x' });
    });
  }

  @Sse('then-fails')
  thenFails(): Observable<MessageEvent> {
    return new Observable((sub) => {
      sub.next({ data: 'one' });
      sub.error(new ConflictException('Topic closed'));
    });
  }

  @Sse('fails-first')
  failsFirst(): Observable<MessageEvent> {
    return throwError(() => new ConflictException('Already streaming'));
  }

  @Sse('invalid-first')
  invalidFirst(): Observable<MessageEvent> {
    return new Observable((sub) => {
      sub.next({ id: 'a\nb', data: 'x' });
    });
  }
}

@Module({ controllers: [FailingController] })
class AppModule {}

const get = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n`;

/** The chunked body's text, chunk sizes removed. */
const bodyOf = (text: string) =>
  text
    .slice(text.indexOf('\r\n\r\n') + 4)
    .replace(/(^|\r\n)[0-9a-f]+\r\n/g, '')
    .replace(/\r\n$/, '');

describe('a producer that fails while being subscribed', () => {
  let app: HeraldApplication;
  let url: string;

  before(async () => {
    ({ app, url } = await startApp(AppModule));
  });
  after(() => app.close());

  it('after valid events, then an invalid one: 200, those events, then the error event', async () => {
    const text = await rawRequest(url, get('/sse/then-invalid'));
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.equal(
      bodyOf(text),
      'data: one\n\nid: 2\ndata: two\n\n' +
        'event: error\ndata: {"statusCode":500,"message":"Internal server error"}\n\n',
    );
    assert.doesNotMatch(text, /injected/);
    assert.match(text, /\r\n0\r\n\r\n$/, 'the chunked body is properly terminated');
  });

  it('after a valid event, then an error: 200, the event, then the error with its status', async () => {
    const text = await rawRequest(url, get('/sse/then-fails'));
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.equal(
      bodyOf(text),
      'data: one\n\nevent: error\ndata: {"statusCode":409,"message":"Topic closed"}\n\n',
    );
  });

  it('with nothing emitted: its status, with a JSON body', async () => {
    const res = await fetch(`${url}/sse/fails-first`);
    assert.equal(res.status, 409);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(((await res.json()) as { message: string }).message, 'Already streaming');
  });

  it('with an invalid event first: 500, with a JSON body', async () => {
    const res = await fetch(`${url}/sse/invalid-first`);
    assert.equal(res.status, 500);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(typeof ((await res.json()) as { message: string }).message, 'string');
  });
});
