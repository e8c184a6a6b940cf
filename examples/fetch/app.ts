import { lastEventIdOf, refusalResponse, sseResponse } from 'herald/fetch';
import { Hub } from 'herald/hub';
import { Hono } from 'hono';

/**
 * One Hono app for Node, Bun and Deno: `GET /news` streams a Hub topic (resuming from
 * `Last-Event-ID`), `POST /news` publishes to it, and a refused topic answers 403 before its stream.
 */
export const hub = new Hub({
  history: { maxEvents: 10_000 },
  authorize: (topic) => topic !== 'staff',
});

export const app = new Hono();

app.get('/news/:topic?', (c) =>
  sseResponse(
    hub.subscribe(c.req.param('topic') ?? 'news', {
      lastEventId: lastEventIdOf(c.req.raw), // replay what this client missed
      context: c.req.raw,
    }),
    { request: c.req.raw }, // the request's signal ends the stream when the client leaves
  ),
);

app.post('/news', async (c) => {
  const { title } = await c.req.json<{ title: string }>();
  return c.json({ id: await hub.publish('news', { type: 'headline', data: { title } }) });
});

// sseResponse rejects with a HeraldError before the stream: 403 for `staff`, 503 when full.
app.onError((err, c) => refusalResponse(err) ?? c.text('Internal Server Error', 500));
