import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Controller,
  HeraldError,
  type HeraldApplication,
  type HeraldErrorCode,
  type MessageEvent,
  Module,
  Param,
  Sse,
} from 'herald';
import { Observable } from 'rxjs';
import { memoryLogger, rawUntil, startApp } from '../app/http/start-app.js';

const SECRET_DETAIL = 'redis://admin:hunter2@10.0.0.7';

@Controller('topics')
class TopicsController {
  // A handler that lets a Hub error through before its stream starts, as `hub.subscribe` does.
  @Sse('throw/:code')
  throws(@Param('code') code: HeraldErrorCode): Observable<MessageEvent> {
    throw new HeraldError(code, `${code}: ${SECRET_DETAIL}`);
  }

  // The same error after the first byte, inside the stream.
  @Sse('late/:code')
  late(@Param('code') code: HeraldErrorCode): Observable<MessageEvent> {
    return new Observable((sub) => {
      sub.next({ data: 'first' });
      setTimeout(() => sub.error(new HeraldError(code, `${code}: ${SECRET_DETAIL}`)), 5);
    });
  }
}

@Module({ controllers: [TopicsController] })
class AppModule {}

const cases: Array<[HeraldErrorCode, number, string]> = [
  ['INVALID_TOPIC', 400, 'Bad Request'],
  ['FORBIDDEN_TOPIC', 403, 'Forbidden'],
  ['CLOSED', 503, 'Service Unavailable'],
  ['TOPIC_FULL', 503, 'Service Unavailable'],
  ['BROKER_UNAVAILABLE', 503, 'Service Unavailable'],
  ['INVALID_EVENT', 500, 'Internal server error'],
  ['RUN_EXISTS', 409, 'Conflict'],
  ['RUN_NOT_FOUND', 404, 'Not Found'],
  ['INVALID_RUN_ID', 400, 'Bad Request'],
];

describe('HeraldError codes answered before a stream starts', () => {
  let app: HeraldApplication;
  let url: string;
  const logger = memoryLogger();

  before(async () => {
    ({ app, url } = await startApp(AppModule, { logger }));
  });
  after(() => app.close());

  for (const [code, status, text] of cases) {
    it(`answers ${code} with ${status}${status < 500 ? ' and its message' : ', hiding the message'}`, async () => {
      logger.lines.length = 0;
      const res = await fetch(`${url}/topics/throw/${code}`);
      assert.equal(res.status, status);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const body = (await res.json()) as { statusCode: number; message: string };
      assert.equal(body.statusCode, status);
      if (status < 500) {
        assert.equal(body.message, `${code}: ${SECRET_DETAIL}`);
        assert.equal(logger.lines.length, 0, "4xx answers are the caller's business, not logged");
      } else {
        assert.equal(body.message, text);
        assert.ok(!JSON.stringify(body).includes('hunter2'));
        assert.equal(
          logger.lines.filter((l) => l.level === 'error').length,
          1,
          'hidden, so logged',
        );
      }
      assert.equal(res.headers.get('retry-after'), status === 503 ? '5' : null);
    });
  }

  it('puts the same status in the event: error frame after the first byte, hiding 5xx messages', async () => {
    const forbidden = await rawUntil(
      url,
      'GET /topics/late/FORBIDDEN_TOPIC HTTP/1.1\r\nHost: x\r\n\r\n',
      /event: error\ndata: .*\n\n/,
    );
    assert.match(forbidden, /data: \{"statusCode":403,"message":"FORBIDDEN_TOPIC: redis/);
    const closed = await rawUntil(
      url,
      'GET /topics/late/CLOSED HTTP/1.1\r\nHost: x\r\n\r\n',
      /event: error\ndata: .*\n\n/,
    );
    assert.match(closed, /data: \{"statusCode":503,"message":"Service Unavailable"\}/);
    assert.ok(!closed.includes('hunter2'));
  });
});
