import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { announceReady, parseBurst, readPort, readStats, startBurst } from './contract.js';

/**
 * Hono `streamSSE` on `@hono/node-server`. Hono has no broadcast, so each event is handed to every
 * client's `writeSSE` (which formats it per client and returns a promise, not awaited here).
 */
const clients = new Set<SSEStreamingApi>();
const ignore = (): void => {};
const app = new Hono();

app.get('/sse', (c) =>
  streamSSE(c, async (stream) => {
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

serve({ fetch: app.fetch, port: readPort(), hostname: '127.0.0.1' }, (info) =>
  announceReady(info.port),
);
