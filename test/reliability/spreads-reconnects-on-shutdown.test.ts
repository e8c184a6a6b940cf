import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import {
  Controller,
  DEFAULT_SHUTDOWN,
  type HeraldApplicationOptions,
  type MessageEvent,
  Module,
  Sse,
  SseServer,
} from 'herald';
import { connect, type EventStream } from 'herald/client';
import { Observable } from 'rxjs';
import { startApp } from '../app/http/start-app.js';
import { type RawClient, rawGet } from '../support/raw-client.js';
import { startServer, until } from '../support/http-server.js';

const forever = () =>
  new Observable<MessageEvent>((sub) => {
    sub.next({ data: 'open' });
  });

@Controller()
class StreamsController {
  @Sse('events')
  events(): Observable<MessageEvent> {
    return forever();
  }
}

@Module({ controllers: [StreamsController] })
class AppModule {}

/** Opens `n` raw streams on `url` and waits until each has its first event. */
async function openStreams(url: string, n: number): Promise<RawClient[]> {
  const clients = await Promise.all(Array.from({ length: n }, () => rawGet(url, '/events')));
  await Promise.all(clients.map((c) => c.waitFor('data: open\n\n')));
  return clients;
}

/** The `retry:` value each client got as its stream ended (the last one on the wire). */
async function retriesOnClose(clients: readonly RawClient[]): Promise<number[]> {
  // The last chunk of the body: the stream ended cleanly (the socket may stay open, keep-alive).
  await Promise.all(clients.map((c) => c.waitFor('\r\n0\r\n\r\n')));
  return clients.map((c) => {
    const all = [...c.received().matchAll(/\nretry: (\d+)\n\n/g)];
    assert.ok(all.length > 0, 'every stream gets a retry hint');
    return Number(all.at(-1)![1]);
  });
}

/**
 * Values lie in `[low, low + width]`, and are spread over it: each quarter of the range holds at
 * least an eighth of them (a quarter is expected; below an eighth is ~1e-8 likely for 200 uniform
 * draws), and they span most of the range.
 */
function assertSpread(values: readonly number[], low: number, width: number): void {
  for (const v of values) assert.ok(Number.isInteger(v) && v >= low && v <= low + width, `${v}`);
  const quarters = [0, 0, 0, 0];
  for (const v of values) quarters[Math.min(3, Math.floor(((v - low) / width) * 4))]!++;
  for (const q of quarters) assert.ok(q >= values.length / 8, `quarters ${quarters}`);
  const span = Math.max(...values) - Math.min(...values);
  assert.ok(span >= width * 0.8, `span ${span} of ${width}`);
}

async function appRetries(options: HeraldApplicationOptions, n: number): Promise<number[]> {
  const { app, url } = await startApp(AppModule, options);
  const clients = await openStreams(url, n);
  await app.close();
  return retriesOnClose(clients);
}

describe('SseServer.closeAll spreads retry hints', () => {
  async function closeAllRetries(n: number, options: { retry?: number; jitter?: number }) {
    const sse = new SseServer({ heartbeat: false });
    const server = await startServer((req: IncomingMessage, res: ServerResponse) => {
      sse.open(req, res, forever());
    });
    try {
      const clients = await openStreams(server.url, n);
      await sse.closeAll(options);
      assert.equal(sse.size, 0);
      return await retriesOnClose(clients);
    } finally {
      await server.close();
    }
  }

  it('with jitter, each of 400 streams gets its own retry drawn from [retry, retry + jitter]', async () => {
    assertSpread(await closeAllRetries(400, { retry: 1_000, jitter: 1_000 }), 1_000, 1_000);
  });

  it('without jitter, every stream gets exactly retry', async () => {
    const values = await closeAllRetries(50, { retry: 700 });
    assert.deepEqual(new Set(values), new Set([700]));
  });
});

describe('app shutdown spreads reconnects (shutdown.retry, shutdown.retryJitter)', () => {
  it('sends 200 streams retry hints spread over [retry, retry + retryJitter]', async () => {
    const values = await appRetries({ shutdown: { retry: 300, retryJitter: 600 } }, 200);
    assertSpread(values, 300, 600);
  });

  it('defaults retryJitter to retry: hints over [retry, 2 * retry]', async () => {
    assertSpread(await appRetries({ shutdown: { retry: 1_000 } }, 200), 1_000, 1_000);
    assert.deepEqual(DEFAULT_SHUTDOWN, { retry: 2_000, retryJitter: 2_000, timeout: 10_000 });
    assertSpread(await appRetries({}, 200), 2_000, 2_000);
  });

  it('retryJitter 0 sends every stream exactly retry', async () => {
    const values = await appRetries({ shutdown: { retry: 450, retryJitter: 0 } }, 50);
    assert.deepEqual(new Set(values), new Set([450]));
  });

  it('clients that follow the hints (herald/client) reach the next process spread over the window', async () => {
    /** Per client: the last retry hint its stream carried, when the stream ended, when it reconnected. */
    interface Mover {
      hint: number;
      endedAt: number;
      reconnectedAt: number;
      landedAt: number;
    }
    const reconnects = async (retryJitter: number, n: number): Promise<Mover[]> => {
      const movers: Mover[] = Array.from({ length: n }, () => ({
        hint: Number.NaN,
        endedAt: 0,
        reconnectedAt: 0,
        landedAt: 0,
      }));
      // The process the clients move to: it notes when each arrives, then answers 204 (stop).
      const next = await startServer((req, res) => {
        const i = Number(new URL(req.url!, 'http://x').searchParams.get('client'));
        movers[i]!.landedAt = performance.now();
        res.writeHead(204).end();
      });
      const { app, url } = await startApp(AppModule, { shutdown: { retry: 200, retryJitter } });
      const streams: EventStream[] = [];
      try {
        let opened = 0;
        for (let i = 0; i < n; i++) {
          const mover = movers[i]!;
          // Like a load balancer: the first request reaches the app, the reconnection the next process.
          const balanced: typeof fetch = async (input, init) => {
            if (mover.endedAt > 0) {
              mover.reconnectedAt = performance.now();
              return fetch(`${next.url}/events?client=${i}`, init);
            }
            const res = await fetch(input, init);
            // Reads the body as the client does, to note the last retry hint and when it ended.
            const decoder = new TextDecoder();
            let body = '';
            const noteEnd = new TransformStream<Uint8Array, Uint8Array>({
              transform: (chunk, controller) => {
                body += decoder.decode(chunk, { stream: true });
                controller.enqueue(chunk);
              },
              flush: () => {
                mover.hint = Number([...body.matchAll(/^retry: (\d+)$/gm)].at(-1)?.[1]);
                mover.endedAt = performance.now();
              },
            });
            return new Response(res.body!.pipeThrough(noteEnd), res);
          };
          const stream = connect(`${url}/events`, { fetch: balanced });
          stream.on('message', () => opened++);
          streams.push(stream);
        }
        await until(() => opened === n, 'every stream open', 60_000);
        await app.close();
        await until(
          () => movers.every((m) => m.landedAt > 0),
          'every client at the next process',
          60_000,
        );
        return movers;
      } finally {
        for (const s of streams) s.close();
        await app.close();
        await next.close();
      }
    };
    /** Each client waited at least its own hint (timers never fire early; 2 ms of clock rounding). */
    const assertWaitedOwnHint = (movers: readonly Mover[]) => {
      for (const m of movers) {
        const waited = m.reconnectedAt - m.endedAt;
        assert.ok(waited >= m.hint - 2, `waited ${waited.toFixed(0)} ms for a ${m.hint} ms hint`);
      }
    };
    const median = (values: readonly number[]) => {
      const sorted = [...values].sort((x, y) => x - y);
      return sorted[Math.floor(sorted.length / 2)]!;
    };
    const n = 200;
    // Each client gets its own hint, drawn from 200 to 1,000 ms, and waits it.
    const jittered = await reconnects(800, n);
    assertSpread(
      jittered.map((m) => m.hint),
      200,
      800,
    );
    assertWaitedOwnHint(jittered);
    // So they reach the next process spread out: the clients told to come back soonest (hints in
    // the lowest quarter) arrive before those told to come back latest (the highest quarter).
    const early = jittered.filter((m) => m.hint < 200 + 800 / 4).map((m) => m.landedAt);
    const late = jittered.filter((m) => m.hint > 1_000 - 800 / 4).map((m) => m.landedAt);
    assert.ok(
      median(early) < median(late),
      `median arrival of the lowest-hint quarter ${median(early).toFixed(0)}, highest ${median(late).toFixed(0)}`,
    );

    // Without jitter every client gets exactly retry and waits it: they return together, the herd.
    const herd = await reconnects(0, n);
    assert.deepEqual(new Set(herd.map((m) => m.hint)), new Set([200]));
    assertWaitedOwnHint(herd);
  });
});
