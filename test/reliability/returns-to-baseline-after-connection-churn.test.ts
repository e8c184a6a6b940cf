import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Controller, type HeraldApplication, type MessageEvent, Module, Sse } from 'herald';
import { fromEvent, map, type Observable } from 'rxjs';
import { startApp } from '../app/http/start-app.js';
import { until } from '../support/http-server.js';

// 10,000 cycles by default (seconds); HERALD_SOAK=1 (set by .ci/run) runs the full 100,000.
const CYCLES = process.env.HERALD_SOAK === '1' ? 100_000 : 10_000;
const IN_FLIGHT = 200;
// Client addresses rotate over the loopback /8, so 100,000 short-lived connections do not run
// out of (source port, destination) pairs while the closed ones sit in TIME_WAIT.
const SOURCES = Array.from({ length: 16 }, (_, i) => `127.0.1.${i + 1}`);

// The test runner does not pass --expose-gc; the flag can still be set before the first use.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const bus = new EventEmitter();

@Controller()
class FeedController {
  // Seed 001's shape: every stream subscribes to one shared emitter.
  @Sse('feed')
  feed(): Observable<MessageEvent> {
    return fromEvent(bus, 'tick').pipe(map((n) => ({ data: String(n) })));
  }
}

@Module({ controllers: [FeedController] })
class AppModule {}

type Ending = 'after-head' | 'after-event' | 'mid-request';

/** One connect/disconnect cycle; resolves once the client socket is closed. */
function cycle(port: number, from: string, ending: Ending): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
    let got = '';
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A reset from a server that already dropped a half-sent request is an ending, not a fault.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return;
      reject(err);
    });
    socket.on('close', () => resolve());
    socket.on('connect', () => {
      if (ending === 'mid-request') {
        socket.end('GET /feed HTTP/1.1\r\nHost: x\r\nAcc');
        socket.destroy();
        return;
      }
      socket.write('GET /feed HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
    });
    socket.on('data', (c: Buffer) => {
      got += c.toString('latin1');
      if (ending === 'after-head' && got.includes('\r\n\r\n')) socket.destroy();
      if (ending === 'after-event' && got.includes('data: ')) socket.destroy();
    });
  });
}

/** Runs `total` cycles with `IN_FLIGHT` at a time. */
async function churn(port: number, total: number): Promise<void> {
  let next = 0;
  const endings: Ending[] = ['after-head', 'after-head', 'after-event', 'mid-request'];
  const worker = async () => {
    while (next < total) {
      const n = next++;
      await cycle(port, SOURCES[n % SOURCES.length]!, endings[n % endings.length]!);
    }
  };
  // Streams that wait for an event get one every few ms.
  let tick = 0;
  const ticker = setInterval(() => bus.emit('tick', tick++), 2);
  try {
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  } finally {
    clearInterval(ticker);
  }
}

function heap(): number {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

describe(`${CYCLES.toLocaleString('en')} connect/disconnect cycles on loopback`, () => {
  let app: HeraldApplication;
  let port: number;
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);

  before(async () => {
    process.on('warning', onWarning);
    let url: string;
    ({ app, url } = await startApp(AppModule));
    port = Number(new URL(url).port);
  });
  after(async () => {
    process.off('warning', onWarning);
    await app.close();
  });

  // About 0.5 ms a cycle here; the bound leaves room for a slower or busy machine (20 times).
  const timeout = 60_000 + CYCLES * 10;
  it('returns heap, handles and listeners to within 5% of baseline, with no listener warning', {
    timeout,
  }, async (t) => {
    const server = app.getHttpServer();
    const connections = () =>
      new Promise<number>((resolve) => server.getConnections((_, n) => resolve(n)));
    const settle = async () => {
      await until(() => bus.listenerCount('tick') === 0, 'every stream to unsubscribe', 30_000);
      const end = Date.now() + 30_000;
      while ((await connections()) > 0 && Date.now() < end)
        await new Promise((r) => setTimeout(r, 10));
    };

    // Warm up: JIT code, lazily made handles and pools belong in the baseline (the heap settles
    // within about 10,000 cycles and stays flat after).
    await churn(port, 5_000);
    await settle();
    const base = {
      heap: heap(),
      handles: process.getActiveResourcesInfo().length,
      serverListeners: server.eventNames().reduce((n, e) => n + server.listenerCount(e), 0),
      processListeners: process.eventNames().reduce((n, e) => n + process.listenerCount(e), 0),
    };

    const started = Date.now();
    await churn(port, CYCLES);
    await settle();
    const elapsed = Date.now() - started;
    const now = {
      heap: heap(),
      handles: process.getActiveResourcesInfo().length,
      serverListeners: server.eventNames().reduce((n, e) => n + server.listenerCount(e), 0),
      processListeners: process.eventNames().reduce((n, e) => n + process.listenerCount(e), 0),
    };
    const heapDelta = (now.heap - base.heap) / base.heap;
    t.diagnostic(
      `churn: ${CYCLES} cycles in ${elapsed} ms; heap ${(base.heap / 1e6).toFixed(2)} -> ${(now.heap / 1e6).toFixed(2)} MB (${(heapDelta * 100).toFixed(2)}%); handles ${base.handles} -> ${now.handles}`,
    );

    assert.equal(await connections(), 0, 'no server-side socket left open');
    assert.equal(bus.listenerCount('tick'), 0);
    assert.ok(heapDelta < 0.05, `heap grew ${(heapDelta * 100).toFixed(2)}%`);
    assert.ok(
      now.handles <= Math.ceil(base.handles * 1.05),
      `handles ${base.handles} -> ${now.handles}`,
    );
    assert.equal(now.serverListeners, base.serverListeners);
    assert.equal(now.processListeners, base.processListeners);
    const listenerWarnings = warnings.filter((w) => w.name === 'MaxListenersExceededWarning');
    assert.deepEqual(listenerWarnings.map(String), []);
  });
});
