import { refusalResponse } from 'herald/fetch';
import { Hono } from 'hono';
import { handle, routes } from './fetch-routes.js';

/**
 * The fetch suite's server, run as its own process on Node, Bun or Deno. `FLAVOR=hono` serves the
 * routes through a Hono app (refusals thrown to `app.onError`); `FLAVOR=plain` hands the runtime a
 * bare `Request -> Response` function. Prints `READY <port>` once listening on 127.0.0.1.
 */
type Fetch = (request: Request) => Response | Promise<Response>;

function honoApp(): Fetch {
  const app = new Hono();
  for (const [path, route] of Object.entries(routes)) {
    const method = path === '/publish' ? 'post' : 'get';
    app[method](path, (c) => route(c.req.raw, new URL(c.req.url).searchParams));
  }
  // The refusal pattern: sseResponse rejects with a HeraldError, Hono's error handler answers it.
  app.onError((err, c) => refusalResponse(err) ?? c.text('internal error', 500));
  return app.fetch;
}

const fetch: Fetch = process.env.FLAVOR === 'hono' ? honoApp() : handle;
const ready = (port: number): void => console.log(`READY ${port}`);
const { Bun, Deno } = globalThis as {
  Bun?: { serve(o: { port: number; hostname: string; fetch: Fetch }): { port: number } };
  Deno?: {
    serve(
      o: { port: number; hostname: string; onListen(a: { port: number }): void },
      f: Fetch,
    ): void;
  };
};

if (Bun !== undefined) {
  ready(Bun.serve({ port: 0, hostname: '127.0.0.1', fetch }).port);
} else if (Deno !== undefined) {
  Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: ({ port }) => ready(port) }, fetch);
} else {
  const { serve } = await import('@hono/node-server');
  serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => ready(info.port));
}
