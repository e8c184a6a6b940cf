import { Hono } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { parseBurst, readStats, startBurst } from './contract.js';
import { serveFetch } from './serve-fetch.js';

/**
 * Hono `streamSSE`, on `@hono/node-server` or `Bun.serve` (bench/peers.ts). Hono has no broadcast,
 * so each event is handed to every client's `writeSSE` (which formats it per client and returns a
 * promise, not awaited here).
 */
const clients = new Set<SSEStreamingApi>();
const ignore = (): void => {};
const onBun = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined';
const app = new Hono();

app.get('/sse', (c) =>
  streamSSE(c, async (stream) => {
    // Bun 1.4.4 sends a streamed response's head only with its first body bytes; a comment opens
    // the stream there (the runner's baseline subtracts it). Node's peer is left as it was.
    if (onBun) await stream.write(':\n\n');
    clients.add(stream);
    await new Promise<void>((resolve) =>
      stream.onAbort(() => {
        clients.delete(stream);
        resolve();
      }),
    );
  }),
);
app.get('/stats', (c) =>
  c.body(readStats(clients.size, c.req.query('gc') !== undefined), 200, {
    'Content-Type': 'application/json',
  }),
);
app.post('/publish', (c) => {
  startBurst(parseBurst(new URL(c.req.url).searchParams), {
    publish(data) {
      for (const stream of clients) stream.writeSSE({ data }).catch(ignore);
    },
  });
  return c.json({ started: true }, 202);
});

await serveFetch(app.fetch);
