import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type AuthenticatedRequest,
  Controller,
  type HeraldApplication,
  type MessageEvent,
  Module,
  parseCookies,
  Req,
  SessionCookieGuard,
  Sse,
  sessionCookie,
  signToken,
  UseGuards,
} from 'herald';
import { EventSource } from 'eventsource';
import { of, type Observable } from 'rxjs';
import { startApp } from '../app/http/start-app.js';

const SECRET = 'session secret, at least 16 bytes';

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

/** The `name=value` part of a Set-Cookie value, as a browser sends it back. */
const cookieOf = (setCookie: string) => setCookie.split(';')[0]!;

/** A real EventSource whose requests carry `cookie` (what a browser's cookie jar does). */
function firstEvent(url: string, cookie: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const es = new EventSource(url, {
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...init?.headers, Cookie: cookie } }),
    });
    es.onmessage = (e) => {
      es.close();
      resolve(e.data);
    };
    es.onerror = (e) => {
      es.close();
      reject(new Error(`EventSource failed: ${e.message} ${e.code}`));
    };
  });
}

describe('signed session cookies', () => {
  let app: HeraldApplication;
  let url: string;

  before(async () => {
    ({ app, url } = await startApp(AppModule));
  });
  after(() => app.close());

  const statusWith = async (cookie: string | undefined) => {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (cookie !== undefined) headers.Cookie = cookie;
    const res = await fetch(`${url}/events`, { headers });
    const body = (await res.json()) as { message: string };
    return { status: res.status, message: body.message };
  };

  it('lets a real EventSource in with a valid session cookie among others', async () => {
    const set = sessionCookie(
      'herald_session',
      signToken({ sub: 'u1' }, SECRET, { expiresIn: 600 }),
      {
        maxAge: 600,
      },
    );
    const data = await firstEvent(`${url}/events`, `theme=dark; ${cookieOf(set)}; other="quoted"`);
    assert.deepEqual(JSON.parse(data), { sub: 'u1' });
  });

  it('answers 401 with no cookie, an empty one, or only other cookies', async () => {
    for (const cookie of [undefined, '', 'herald_session=', 'theme=dark', ';;;==;']) {
      assert.deepEqual(await statusWith(cookie), {
        status: 401,
        message: 'Authentication required',
      });
    }
  });

  it('answers 401 to an expired session', async () => {
    const old = signToken({ sub: 'u1' }, SECRET, { expiresIn: 600, now: Date.now() - 601_000 });
    assert.deepEqual(await statusWith(`herald_session=${old}`), {
      status: 401,
      message: 'Credentials expired',
    });
  });

  it('answers 401 to forged sessions, and uses the first of two cookies with the name', async () => {
    const good = signToken({ sub: 'u1' }, SECRET, { expiresIn: 600 });
    const [, signature] = good.split('.') as [string, string];
    const admin = Buffer.from(JSON.stringify({ sub: 'admin', exp: 4e9 })).toString('base64url');
    const wrongKey = signToken({ sub: 'u1' }, 'not the server secret at all', { expiresIn: 600 });
    for (const cookie of [
      `herald_session=${admin}.${signature}`,
      `herald_session=${wrongKey}`,
      `herald_session=${good}junk`,
      `herald_session=%ZZ${good}`,
      `herald_session=${wrongKey}; herald_session=${good}`,
    ]) {
      assert.deepEqual(
        await statusWith(cookie),
        { status: 401, message: 'Invalid credentials' },
        cookie,
      );
    }
  });
});

describe('cookie helpers', () => {
  it('writes HttpOnly, Secure, SameSite=Lax session cookies by default', () => {
    assert.equal(
      sessionCookie('s', 'a.b', { maxAge: 3600 }),
      's=a.b; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax',
    );
    assert.equal(
      sessionCookie('s', 'a b', {
        maxAge: 60,
        domain: 'example.com',
        sameSite: 'None',
        path: '/sse',
      }),
      's=a%20b; Max-Age=60; Path=/sse; Domain=example.com; Secure; HttpOnly; SameSite=None',
    );
  });

  it('parses Cookie headers by hand: quotes, spaces, bad percent-encoding, first name wins', () => {
    const cookies = parseCookies(
      ' a=1; b="two words" ;c=%E2%9C%93; d=%ZZ; a=2; =x; e; __proto__=p',
    );
    assert.equal(cookies.get('a'), '1');
    assert.equal(cookies.get('b'), 'two words');
    assert.equal(cookies.get('c'), '✓');
    assert.equal(cookies.get('d'), '%ZZ');
    assert.equal(cookies.get('__proto__'), 'p');
    assert.equal(cookies.has(''), false);
    assert.equal(cookies.has('e'), false);
    assert.equal(parseCookies(undefined).size, 0);
  });
});
