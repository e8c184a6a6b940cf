import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  type AuthenticatedRequest,
  Controller,
  type HeraldApplication,
  HeraldError,
  type MessageEvent,
  Module,
  Req,
  SignedTokenGuard,
  Sse,
  signToken,
  UseGuards,
  verifyToken,
} from 'herald';
import { of, type Observable } from 'rxjs';
import { collect } from '../support/event-source.js';
import { startApp } from '../app/http/start-app.js';

const SECRET = 'correct horse battery staple, 32+';
const OLD_SECRET = 'the key we are rotating out of use';

@Controller()
class EventsController {
  @Sse('events')
  @UseGuards(new SignedTokenGuard({ secret: [SECRET, OLD_SECRET] }))
  events(@Req() req: AuthenticatedRequest): Observable<MessageEvent> {
    return of({ data: { sub: req.user.sub } });
  }
}

@Module({ controllers: [EventsController] })
class AppModule {}

/** Replaces one character of `s` at `at` with another of the base64url alphabet. */
function flip(s: string, at: number): string {
  const c = s[at] === 'A' ? 'B' : 'A';
  return s.slice(0, at) + c + s.slice(at + 1);
}

describe('signed, expiring tokens in the query string', () => {
  let app: HeraldApplication;
  let url: string;

  before(async () => {
    ({ app, url } = await startApp(AppModule));
  });
  after(() => app.close());

  async function refusal(query: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${url}/events${query}`, {
      headers: { Accept: 'text/event-stream', ...headers },
    });
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    return { status: res.status, body: (await res.json()) as { message: string } };
  }

  it('lets a real EventSource in with a valid token, and hands the claims to the handler', async () => {
    const token = signToken({ sub: 'user-42' }, SECRET, { expiresIn: 60 });
    assert.match(token, /^[\w-]+\.[\w-]+$/, 'URL- and cookie-safe');
    const [event] = await collect(`${url}/events?token=${token}`, 1);
    assert.deepEqual(JSON.parse(event!.data), { sub: 'user-42' });
  });

  it('accepts Authorization: Bearer for clients that can send headers', async () => {
    const token = signToken({ sub: 'cli' }, SECRET, { expiresIn: 60 });
    const res = await fetch(`${url}/events`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /data: \{"sub":"cli"\}/);
  });

  it('accepts a token signed with a key being rotated out', async () => {
    const token = signToken({ sub: 'old' }, OLD_SECRET, { expiresIn: 60 });
    const res = await fetch(`${url}/events?token=${token}`);
    assert.equal(res.status, 200);
    await res.text();
  });

  it('answers 401 to a missing token, before any stream starts', async () => {
    for (const query of ['', '?token=', '?other=1']) {
      assert.deepEqual(await refusal(query), {
        status: 401,
        body: { statusCode: 401, message: 'Authentication required', error: 'Unauthorized' },
      });
    }
  });

  it('answers 401 to an expired token', async () => {
    const token = signToken({ sub: 'late' }, SECRET, { expiresIn: 60, now: Date.now() - 61_000 });
    const { status, body } = await refusal(`?token=${token}`);
    assert.equal(status, 401);
    assert.equal(body.message, 'Credentials expired');
  });

  it('answers 401 to forged tokens: another key, a changed payload or signature, junk', async () => {
    const good = signToken({ sub: 'user-42' }, SECRET, { expiresIn: 60 });
    const [payload, signature] = good.split('.') as [string, string];
    const admin = Buffer.from(JSON.stringify({ sub: 'admin', exp: 4e9 })).toString('base64url');
    const forged = [
      signToken({ sub: 'user-42' }, 'an attacker guessing the key....', { expiresIn: 60 }),
      `${admin}.${signature}`,
      `${flip(payload, 3)}.${signature}`,
      `${payload}.${flip(signature, 5)}`,
      `${payload}.${signature}x`,
      `${payload}.${signature}!`,
      `${payload}.`,
      `${payload}`,
      `.${signature}`,
      `${payload}.${signature}.${signature}`,
      'x'.repeat(5000),
      '%00%0d%0a',
      '😀.😀',
    ];
    for (const token of forged) {
      const { status, body } = await refusal(`?token=${encodeURIComponent(token)}`);
      assert.equal(status, 401, token.slice(0, 60));
      assert.equal(body.message, 'Invalid credentials');
    }
    const twice = await refusal(`?token=${good}&token=${good}`);
    assert.equal(twice.status, 401, 'a repeated parameter is refused, not guessed');
  });
});

describe('signToken and verifyToken', () => {
  it('expires exactly at exp, in whole seconds', () => {
    const now = Date.UTC(2030, 0, 1);
    const token = signToken({ sub: 'a' }, SECRET, { expiresIn: 10, now });
    assert.equal(verifyToken(token, SECRET, { now: now + 9_999 }).ok, true);
    assert.deepEqual(verifyToken(token, SECRET, { now: now + 10_000 }), {
      ok: false,
      reason: 'expired',
    });
  });

  it('reports why a token was refused', () => {
    const token = signToken({}, SECRET, { expiresIn: 10 });
    assert.deepEqual(verifyToken(undefined, SECRET), { ok: false, reason: 'missing' });
    assert.deepEqual(verifyToken('nodot', SECRET), { ok: false, reason: 'malformed' });
    assert.deepEqual(verifyToken(token, OLD_SECRET), { ok: false, reason: 'forged' });
    // Correctly signed, but not what signToken makes: refused as malformed, never thrown.
    for (const content of ['nope', '{"sub":"a"}', '{"exp":"soon"}', 'null']) {
      const payload = Buffer.from(content).toString('base64url');
      const mac = createHmac('sha256', SECRET).update(payload).digest('base64url');
      assert.deepEqual(verifyToken(`${payload}.${mac}`, SECRET), {
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('refuses secrets shorter than 16 bytes when a guard is made', () => {
    assert.throws(
      () => new SignedTokenGuard({ secret: 'short' }),
      (err: unknown) => err instanceof HeraldError && err.code === 'INVALID_MODULE',
    );
    assert.throws(() => new SignedTokenGuard({ secret: [] }), { code: 'INVALID_MODULE' } as object);
  });
});
