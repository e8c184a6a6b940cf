import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  Body,
  Controller,
  DEFAULT_SERVER_OPTIONS,
  Get,
  type HeraldApplication,
  HeraldFactory,
  type MessageEvent,
  Module,
  Post,
  Sse,
} from 'herald';
import { interval, map, type Observable } from 'rxjs';
import { rawUntil, startApp } from '../app/http/start-app.js';

@Controller()
class SlowController {
  @Get('ping')
  ping() {
    return 'pong';
  }

  @Post('echo')
  echo(@Body() body: unknown) {
    return body;
  }

  @Sse('ticks')
  ticks(): Observable<MessageEvent> {
    return interval(100).pipe(map((n) => ({ data: String(n) })));
  }
}

@Module({ controllers: [SlowController] })
class AppModule {}

interface Dribble {
  /** ms from the first byte until the server closed the socket. */
  closedAfter: Promise<number>;
  /** Everything the server sent. */
  received(): string;
}

/**
 * Sends `head` at once, then `text` one byte every `every` ms and never finishes it (a slowloris
 * client).
 */
function dribble(url: string, text: string, every = 100, head = ''): Dribble {
  const { port, hostname } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  if (head !== '') socket.write(head);
  let got = '';
  socket.on('data', (c: Buffer) => {
    got += c.toString('latin1');
  });
  socket.on('error', () => undefined);
  const started = Date.now();
  let at = 0;
  const timer = setInterval(() => {
    if (at < text.length && socket.writable) socket.write(text[at++]!);
  }, every);
  const closedAfter = new Promise<number>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve(Date.now() - started);
    }),
  );
  return { closedAfter, received: () => got };
}

// Far apart, so a busy machine cannot blur which one cut a client off.
const HEADERS_TIMEOUT = 300;
const REQUEST_TIMEOUT = 3_000;

describe('slow clients', () => {
  let app: HeraldApplication;
  let url: string;

  before(async () => {
    ({ app, url } = await startApp(AppModule, {
      server: { headersTimeout: HEADERS_TIMEOUT, requestTimeout: REQUEST_TIMEOUT },
    }));
  });
  after(() => app.close());

  it('cuts off 50 slowloris clients that dribble header bytes, within headersTimeout, while serving others', async () => {
    const head = `GET /ping HTTP/1.1\r\nHost: x\r\n${'X-Slow: y\r\n'.repeat(100)}\r\n`;
    const clients = Array.from({ length: 50 }, () => dribble(url, head));
    const res = await fetch(`${url}/ping`);
    assert.equal(await res.text(), 'pong', 'others are served meanwhile');
    const times = await Promise.all(clients.map((c) => c.closedAfter));
    // Node checks timeouts every connectionsCheckingInterval (a quarter of the shortest timeout
    // here): each is cut past headersTimeout, long before requestTimeout could have done it.
    for (const t of times) {
      assert.ok(t >= HEADERS_TIMEOUT - 50, `closed too early: ${t} ms`);
      assert.ok(t < REQUEST_TIMEOUT, `closed too late: ${t} ms`);
    }
    assert.match(clients[0]!.received(), /^HTTP\/1\.1 408 /);
  });

  it('cuts off a client that dribbles a request body, within requestTimeout', async () => {
    const head =
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n';
    // The whole head at once, then a body that would take over 10 s: cut off before, with a 408.
    const slow = dribble(url, 'a'.repeat(1000), 10, head);
    const t = await slow.closedAfter;
    assert.ok(t >= REQUEST_TIMEOUT - 50, `closed after ${t} ms`);
    assert.match(slow.received(), /^HTTP\/1\.1 408 /);
  });

  it('does not cut an event stream that lasts longer than requestTimeout', async () => {
    const text = await rawUntil(
      url,
      'GET /ticks HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n',
      // A tick every 100 ms: this one comes a second past requestTimeout.
      new RegExp(`data: ${REQUEST_TIMEOUT / 100 + 10}\n`),
      60_000,
    );
    assert.match(text, new RegExp(`data: 0\n[\\s\\S]*data: ${REQUEST_TIMEOUT / 100 + 10}\n`));
  });
});

describe('HTTP server defaults', () => {
  it('sets a 16 KiB head limit, a 10 s head timeout and a 30 s request timeout', async () => {
    assert.deepEqual(DEFAULT_SERVER_OPTIONS, {
      maxHeaderSize: 16 * 1024,
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      backlog: 4_096,
    });
    const app = await HeraldFactory.create(AppModule, { logger: false });
    const server = app.getHttpServer() as unknown as Record<string, number>;
    assert.equal(server.maxHeaderSize, 16 * 1024);
    assert.equal(server.headersTimeout, 10_000);
    assert.equal(server.requestTimeout, 30_000);
    assert.equal(server.keepAliveTimeout, 5_000);
    await app.close();
  });
});

describe('listen backlog', () => {
  it('listens with room for a reconnect storm: the kernel holds up to 4,096 connections (or somaxconn)', async () => {
    const { app, url } = await startApp(AppModule, {});
    try {
      const port = new URL(url).port;
      // `ss -ltn` shows a listening socket's backlog in its Send-Q column.
      const out = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' });
      const backlog = Number(out.trim().split(/\s+/)[2]);
      const cap = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
      assert.equal(backlog, Math.min(4_096, cap));
    } finally {
      await app.close();
    }
  });
});
