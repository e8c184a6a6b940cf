import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  Controller,
  type HeraldApplication,
  Header,
  HttpCode,
  type MessageEvent,
  Module,
  Sse,
} from 'herald';
import { Observable } from 'rxjs';
import { startApp } from './start-app.js';

let handlerRuns = 0;

@Controller('sse')
class LiveController {
  @Sse('live')
  @HttpCode(203)
  @Header('X-Stream', 'yes')
  live(): Observable<MessageEvent> {
    handlerRuns++;
    return new Observable((sub) => {
      sub.next({ data: 'open' });
    });
  }
}

@Module({ controllers: [LiveController] })
class AppModule {}

/** Sends one request on a fresh socket; resolves with the head and what followed it within 100 ms. */
function ask(url: string, request: string): Promise<{ head: string; rest: string }> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    socket.on('error', reject);
    socket.on('data', (c: Buffer) => {
      const first = !text.includes('\r\n\r\n');
      text += c.toString('latin1');
      if (first && text.includes('\r\n\r\n')) {
        setTimeout(() => {
          socket.destroy();
          const at = text.indexOf('\r\n\r\n');
          resolve({ head: text.slice(0, at), rest: text.slice(at + 4) });
        }, 100);
      }
    });
  });
}

/** Header lines without Date (the clock moves between two answers). */
const lines = (head: string) =>
  head
    .split('\r\n')
    .filter((l) => !/^date:/i.test(l))
    .sort();

describe('HEAD on a stream route', () => {
  let app: HeraldApplication;
  let url: string;

  before(async () => {
    // App-wide stream headers too: a HEAD must get them like a GET does.
    ({ app, url } = await startApp(AppModule, { sse: { headers: { 'X-App': 'herald' } } }));
  });
  after(() => app.close());

  for (const version of ['1.1', '1.0'] as const) {
    it(`answers the head a GET answers, with no body (HTTP/${version})`, async () => {
      const request = (method: string) =>
        `${method} /sse/live HTTP/${version}\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`;
      const runs = handlerRuns;
      const get = await ask(url, request('GET'));
      const head = await ask(url, request('HEAD'));
      assert.deepEqual(lines(head.head), lines(get.head));
      assert.match(get.head, /^HTTP\/1\.1 203 /);
      assert.match(head.head, /\r\nx-accel-buffering: no/i);
      assert.match(head.head, /\r\nx-stream: yes/i);
      assert.match(head.head, /\r\nx-app: herald/i);
      assert.match(get.rest, /data: open\n\n/);
      assert.equal(head.rest, '', 'a HEAD has no body');
      assert.equal(handlerRuns, runs + 1, 'the handler runs for the GET only');
    });
  }

  it('leaves a keep-alive connection usable after a HEAD', async () => {
    const { port } = new URL(url);
    const socket = net.connect(Number(port), '127.0.0.1');
    let text = '';
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
    });
    socket.write(
      'HEAD /sse/live HTTP/1.1\r\nHost: x\r\n\r\nGET /sse/live HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    const end = Date.now() + 5000;
    while (!text.includes('data: open') && Date.now() < end)
      await new Promise((r) => setTimeout(r, 5));
    socket.destroy();
    assert.equal(text.match(/HTTP\/1\.1 203 /g)?.length, 2, 'both requests answered');
    assert.match(text, /data: open\n\n/);
  });
});
