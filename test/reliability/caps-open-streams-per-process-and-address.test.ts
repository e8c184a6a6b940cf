import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  Controller,
  DEFAULT_MAX_STREAMS_PER_ADDRESS,
  type HeraldApplication,
  HeraldError,
  type MessageEvent,
  Module,
  Sse,
} from 'herald';
import { defaultMaxStreams } from '#herald/app/http/limits/open-files-limit.js';
import { StreamLimiter } from '#herald/app/http/limits/stream-limits.js';
import { Observable } from 'rxjs';
import { startApp } from '../app/http/start-app.js';
import { until } from '../support/http-server.js';

let subscribed = 0;

@Controller()
class StreamsController {
  @Sse('forever')
  forever(): Observable<MessageEvent> {
    return new Observable((sub) => {
      subscribed++;
      sub.next({ data: 'open' });
      return () => subscribed--;
    });
  }

  @Sse('broken')
  broken(): Observable<MessageEvent> {
    return new Observable((sub) => sub.error(new Error('cannot start')));
  }
}

@Module({ controllers: [StreamsController] })
class AppModule {}

interface Opened {
  socket: net.Socket;
  /** The status line and headers, once the head has arrived. */
  head: Promise<string>;
  /** Everything received when the server ended the response (for refusals). */
  text(): string;
}

/** A raw stream request from a given loopback address (the whole 127/8 is local on Linux). */
function open(url: string, from: string, path = '/forever', headers = ''): Opened {
  const { port } = new URL(url);
  const socket = net.connect({ port: Number(port), host: '127.0.0.1', localAddress: from });
  let text = '';
  socket.on('error', () => undefined);
  socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n${headers}\r\n`);
  const head = new Promise<string>((resolve) => {
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end >= 0) resolve(text.slice(0, end));
    });
  });
  return { socket, head, text: () => text };
}

const statusOf = (head: string) => Number(head.slice(9, 12));

describe('caps on open event streams', () => {
  let app: HeraldApplication;
  let url: string;
  const held: net.Socket[] = [];

  before(async () => {
    ({ app, url } = await startApp(AppModule, {
      limits: { maxStreams: 5, maxStreamsPerAddress: 3, retryAfterSeconds: 7 },
    }));
  });
  after(async () => {
    for (const s of held) s.destroy();
    await app.close();
  });

  it('answers 429 with Retry-After past the per-address cap, and 503 past the global cap', async () => {
    const a = [1, 2, 3].map(() => open(url, '127.0.0.2'));
    for (const s of a) assert.equal(statusOf(await s.head), 200);
    held.push(...a.map((s) => s.socket));

    const fourth = open(url, '127.0.0.2');
    const head = await fourth.head;
    assert.equal(statusOf(head), 429);
    assert.match(head, /\r\nretry-after: 7\r\n/i);
    assert.match(head, /content-type: application\/json/i);
    await until(() => fourth.text().includes('}'), 'the 429 body');
    assert.match(fourth.text(), /"message":"Too many event streams from this address"/);
    fourth.socket.destroy();

    const b = [1, 2].map(() => open(url, '127.0.0.3'));
    for (const s of b) assert.equal(statusOf(await s.head), 200);
    held.push(...b.map((s) => s.socket));

    const sixth = open(url, '127.0.0.4');
    const full = await sixth.head;
    assert.equal(statusOf(full), 503);
    assert.match(full, /\r\nretry-after: 7\r\n/i);
    sixth.socket.destroy();
    assert.equal(subscribed, 5, 'a refused stream is never subscribed');
  });

  it('gives a slot back when a client leaves', async () => {
    held.shift()!.destroy();
    await until(() => subscribed === 4, 'the stream to close');
    const again = open(url, '127.0.0.2');
    assert.equal(statusOf(await again.head), 200);
    held.push(again.socket);
    for (const s of held.splice(0)) s.destroy();
    await until(() => subscribed === 0, 'every stream to close');
  });

  it('gives the slot back when a stream fails to start', async () => {
    for (let i = 0; i < 12; i++) {
      const broken = open(url, '127.0.0.5', '/broken');
      assert.equal(statusOf(await broken.head), 500);
      broken.socket.destroy();
    }
    const streams = [1, 2, 3].map(() => open(url, '127.0.0.5'));
    for (const s of streams) assert.equal(statusOf(await s.head), 200);
    for (const s of streams) s.socket.destroy();
    await until(() => subscribed === 0, 'every stream to close');
  });
});

describe('stream limit options', () => {
  it('counts per the address addressOf picks (e.g. from a trusted proxy header)', async () => {
    const { app, url } = await startApp(AppModule, {
      limits: {
        maxStreamsPerAddress: 1,
        addressOf: (req) => String(req.headers['x-forwarded-for'] ?? req.socket.remoteAddress),
      },
    });
    const a = open(url, '127.0.0.1', '/forever', 'X-Forwarded-For: 203.0.113.1\r\n');
    const b = open(url, '127.0.0.1', '/forever', 'X-Forwarded-For: 203.0.113.2\r\n');
    const c = open(url, '127.0.0.1', '/forever', 'X-Forwarded-For: 203.0.113.1\r\n');
    assert.deepEqual((await Promise.all([a.head, b.head, c.head])).map(statusOf), [200, 200, 429]);
    for (const s of [a, b, c]) s.socket.destroy();
    await app.close();
  });

  it('defaults to the open-files limit minus headroom, and 1,000 per address', () => {
    assert.equal(defaultMaxStreams(1024), 768);
    assert.equal(defaultMaxStreams(20_000), 18_000);
    assert.equal(defaultMaxStreams(1_048_576), 943_718);
    assert.equal(defaultMaxStreams(100), 16);
    assert.equal(DEFAULT_MAX_STREAMS_PER_ADDRESS, 1_000);
  });

  it('releases slots of streams that start later (a Hub authorize hook) however they end', async () => {
    // The engine reports every started stream's close through one server-level listener.
    let streamClosed: (conn: { request: object }) => void = () => {};
    const started: object[] = [];
    let answer: 'resolve' | 'reject' = 'resolve';
    const inner = {
      onStreamClose: (fn: typeof streamClosed) => {
        streamClosed = fn;
      },
      open: (req: object) => {
        if (answer === 'reject') return Promise.reject(new HeraldError('FORBIDDEN_TOPIC', 'no'));
        started.push(req);
        return Promise.resolve({ request: req });
      },
    };
    const limits = {
      maxStreams: 2,
      maxStreamsPerAddress: 2,
      retryAfterSeconds: 1,
      addressOf: () => 'a',
    };
    const limiter = new StreamLimiter(inner as never, limits);
    const args = () => [{}, {}, null, {}] as unknown as Parameters<StreamLimiter['open']>;
    await limiter.open(...args());
    answer = 'reject';
    await assert.rejects(Promise.resolve(limiter.open(...args())), {
      code: 'FORBIDDEN_TOPIC',
    } as object);
    assert.equal(limiter.size, 1, 'a refused start gives its slot back');
    answer = 'resolve';
    await limiter.open(...args());
    assert.throws(() => limiter.open(...args()), { name: 'RetryLaterException' } as object);
    for (const request of started) streamClosed({ request });
    assert.equal(limiter.size, 0);
    assert.equal(limiter.addresses, 0, 'no entry is kept for an address with no streams');
    for (const request of started) streamClosed({ request });
    assert.equal(limiter.size, 0, 'a close reported twice is counted once');
    limiter.close();
    assert.throws(() => limiter.open(...args()), { code: 'CLOSED' } as object);
  });
});
