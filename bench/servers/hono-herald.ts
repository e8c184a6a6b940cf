import { sseResponse } from 'herald/fetch';
import { Hub } from 'herald/hub';
import { Hono } from 'hono';
import { parseBurst, readStats, startBurst } from './contract.js';
import { serveFetch } from './serve-fetch.js';

/**
 * Hono with `herald/fetch` and a Hub: each client's response body is a web stream, and every event
 * is encoded once and enqueued as the same bytes into every stream. On Node or Bun (bench/peers.ts).
 */
const hub = new Hub({ history: { maxEvents: 10_000 } });
const app = new Hono();

// The load generator counts every frame; a heartbeat comment would count as an event.
app.get('/sse', (c) =>
  sseResponse(hub.subscribe('bench'), { request: c.req.raw, heartbeat: false }),
);
app.get('/stats', (c) =>
  c.body(readStats(hub.stats().subscribers, c.req.query('gc') !== undefined), 200, {
    'Content-Type': 'application/json',
  }),
);
app.post('/publish', (c) => {
  startBurst(parseBurst(new URL(c.req.url).searchParams), {
    publish: (data) => void hub.publish('bench', { data }),
  });
  return c.json({ started: true }, 202);
});

await serveFetch(app.fetch);
