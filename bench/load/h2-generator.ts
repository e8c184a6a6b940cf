import http2 from 'node:http2';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { SseReader } from './sse-reader.js';

/**
 * Load generator of the HTTP/2 scenario (forked by the runner, driven over IPC). `h2`: `sessions`
 * node:http2 sessions over TLS, each carrying `streams` streams of `GET /sse`. `h1`: as many TLS
 * sockets speaking HTTP/1.1 (ALPN `http/1.1`), read by the same {@link SseReader} as the plain
 * scenarios. Certificates are not checked: the runner made them for this run.
 */
export type H2Command =
  | { type: 'connect'; port: number; mode: 'h2' | 'h1'; sessions: number; streams: number }
  | { type: 'expect'; events: number; timeoutMs: number }
  | { type: 'stop' };

/** Replies to {@link H2Command}s. */
export type H2Reply =
  | { type: 'connected'; subscribed: number; failed: number }
  | { type: 'armed' }
  | { type: 'delivery'; delivered: number; complete: number; lastAt: number; cpuMs: number };

interface Counter {
  frames: number;
  base: number;
  done: boolean;
}

const LF = 10;
const FRAME_END = Buffer.from('\n\n');
const counters: Counter[] = [];
const closers: Array<() => void> = [];
let target = Number.POSITIVE_INFINITY;
let complete = 0;
let onComplete: (() => void) | undefined;
const now = (): number => performance.timeOrigin + performance.now();
const send = (reply: H2Reply): void => {
  process.send?.(reply);
};

function arrived(counter: Counter): void {
  if (!counter.done && counter.frames - counter.base >= target) {
    counter.done = true;
    if (++complete === counters.length) onComplete?.();
  }
}

/** An HTTP/2 body is the event stream itself: count "\n\n", carrying a trailing LF across reads. */
function h2Stream(session: http2.ClientHttp2Session): Promise<void> {
  return new Promise((resolve, reject) => {
    const counter: Counter = { frames: 0, base: 0, done: false };
    let prevLf = false;
    const stream = session.request({ ':path': '/sse', accept: 'text/event-stream' });
    stream.end();
    stream.once('response', (head) => {
      if (head[':status'] !== 200) reject(new Error(`status ${head[':status']}`));
      else {
        counters.push(counter);
        resolve();
      }
    });
    stream.once('error', reject);
    stream.on('data', (chunk: Buffer) => {
      let from = 0;
      if (prevLf && chunk[0] === LF) {
        counter.frames++;
        from = 1;
      }
      for (let at = chunk.indexOf(FRAME_END, from); at >= 0; at = chunk.indexOf(FRAME_END, at + 2))
        counter.frames++;
      const n = chunk.length;
      prevLf = chunk[n - 1] === LF && !(n >= 2 && chunk[n - 2] === LF);
      arrived(counter);
    });
  });
}

function h1Socket(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const reader = new SseReader();
    const counter: Counter = { frames: 0, base: 0, done: false };
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      ALPNProtocols: ['http/1.1'],
      rejectUnauthorized: false,
    });
    closers.push(() => socket.destroy());
    socket.setNoDelay(true);
    socket.once('secureConnect', () =>
      socket.write('GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n'),
    );
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      const was = reader.subscribed;
      reader.feed(chunk, chunk.length, 0);
      if (!was && reader.subscribed) {
        if (reader.status !== 200) return reject(new Error(`status ${reader.status}`));
        counters.push(counter);
        resolve();
      }
      counter.frames = reader.frames;
      arrived(counter);
    });
  });
}

async function connectAll(c: Extract<H2Command, { type: 'connect' }>): Promise<void> {
  const opened: Array<Promise<void>> = [];
  for (let s = 0; s < c.sessions; s++) {
    if (c.mode === 'h1') {
      // A hundred handshakes at a time: thousands at once overflow the listen backlog.
      for (let i = 0; i < c.streams; i += 100) {
        const batch = Array.from({ length: Math.min(100, c.streams - i) }, () => h1Socket(c.port));
        opened.push(...batch);
        await Promise.allSettled(batch);
      }
      continue;
    }
    const session = http2.connect(`https://127.0.0.1:${c.port}`, { rejectUnauthorized: false });
    session.on('error', () => undefined);
    closers.push(() => session.destroy());
    for (let i = 0; i < c.streams; i++) opened.push(h2Stream(session));
    // Sessions one after another, so each handshake is not racing 100 others on a busy machine.
    await Promise.allSettled(opened.slice(-c.streams));
  }
  const results = await Promise.allSettled(opened);
  const failed = results.filter((r) => r.status === 'rejected').length;
  send({ type: 'connected', subscribed: counters.length, failed });
}

function expect(c: Extract<H2Command, { type: 'expect' }>): void {
  complete = 0;
  for (const counter of counters) {
    counter.base = counter.frames;
    counter.done = false;
  }
  target = c.events;
  const cpu = process.cpuUsage();
  const report = (): void => {
    clearTimeout(timer);
    onComplete = undefined;
    const lastAt = now();
    let delivered = 0;
    for (const counter of counters) delivered += Math.min(counter.frames - counter.base, target);
    target = Number.POSITIVE_INFINITY;
    const used = process.cpuUsage(cpu);
    send({
      type: 'delivery',
      delivered,
      complete,
      lastAt,
      cpuMs: (used.user + used.system) / 1000,
    });
  };
  const timer = setTimeout(report, c.timeoutMs);
  onComplete = report;
  send({ type: 'armed' });
}

process.on('message', (command: H2Command) => {
  if (command.type === 'connect') void connectAll(command);
  else if (command.type === 'expect') expect(command);
  else {
    for (const close of closers) close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
