import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type AuthenticatedRequest,
  Controller,
  type HeraldApplication,
  type MessageEvent,
  Module,
  Req,
  SessionCookieGuard,
  Sse,
  signToken,
  UseGuards,
} from 'herald';
import { EventSource } from 'eventsource';
import { of, type Observable } from 'rxjs';
import { rawUntil, startApp } from '../app/http/start-app.js';

const SECRET = 'cross-origin session secret!';
const APP_ORIGIN = 'https://app.example';

@Controller()
@UseGuards(new SessionCookieGuard({ secret: SECRET }))
class EventsController {
  @Sse('events')
  events(@Req() req: AuthenticatedRequest): Observable<MessageEvent> {
    return of({ data: { sub: req.user.sub } });
  }
}

@Module({ controllers: [EventsController] })
class AppModule {}

describe('CORS with credentials for EventSource({ withCredentials: true })', () => {
  let app: HeraldApplication;
  let url: string;
  const cookie = `herald_session=${signToken({ sub: 'u7' }, SECRET, { expiresIn: 600 })}`;

  before(async () => {
    ({ app, url } = await startApp(AppModule, {}, (a) =>
      a.enableCors({ origin: [APP_ORIGIN], credentials: true }),
    ));
  });
  after(() => app.close());

  it('answers a preflight from the allowed origin with that origin and credentials', async () => {
    const res = await fetch(`${url}/events`, {
      method: 'OPTIONS',
      headers: {
        Origin: APP_ORIGIN,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'last-event-id, cache-control',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), APP_ORIGIN);
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /last-event-id/);
    assert.match(res.headers.get('vary') ?? '', /Origin/);
  });

  it('streams to a cross-origin EventSource-style request with the cookie, naming the origin (never *)', async () => {
    const es = new EventSource(`${url}/events`, {
      withCredentials: true,
      fetch: async (input, init) => {
        const res = await fetch(input, {
          ...init,
          headers: { ...init?.headers, Origin: APP_ORIGIN, Cookie: cookie },
        });
        // What a browser checks before it lets the page see a credentialed response.
        assert.equal(res.headers.get('access-control-allow-origin'), APP_ORIGIN);
        assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
        return res;
      },
    });
    const data = await new Promise<string>((resolve, reject) => {
      es.onmessage = (e) => resolve(e.data);
      es.onerror = (e) => reject(new Error(`EventSource failed: ${e.message}`));
    }).finally(() => es.close());
    assert.deepEqual(JSON.parse(data), { sub: 'u7' });
  });

  it('keeps the CORS headers on the raw stream head and on a 401', async () => {
    const head = await rawUntil(
      url,
      `GET /events HTTP/1.1\r\nHost: x\r\nOrigin: ${APP_ORIGIN}\r\nCookie: ${cookie}\r\nAccept: text/event-stream\r\n\r\n`,
      /data: /,
    );
    assert.match(head, /content-type: text\/event-stream/i);
    assert.match(head, new RegExp(`access-control-allow-origin: ${APP_ORIGIN}\r\n`, 'i'));
    const refused = await fetch(`${url}/events`, { headers: { Origin: APP_ORIGIN } });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('access-control-allow-origin'), APP_ORIGIN);
    await refused.text();
  });

  it('gives another origin no CORS grant, so a browser will not let its page read the stream', async () => {
    const preflight = await fetch(`${url}/events`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    const res = await fetch(`${url}/events`, {
      headers: { Origin: 'https://evil.example', Cookie: cookie },
    });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    await res.body?.cancel();
  });
});
