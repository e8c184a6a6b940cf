import { app } from './app.js';

/**
 * Starts the app with the runtime's own server: `bun build/examples/fetch/main.js`,
 * `deno run --allow-net --allow-read --allow-env build/examples/fetch/main.js`, or
 * `node build/examples/fetch/main.js` (after `npm run build:test`). `PORT` (default 3000).
 */
type Fetch = (request: Request) => Response | Promise<Response>;
const port = Number(process.env.PORT ?? 3000);
const ready = (at: number): void => console.log(`READY ${at}`);
const { Bun, Deno } = globalThis as {
  Bun?: { serve(o: { port: number; fetch: Fetch }): { port: number } };
  Deno?: { serve(o: { port: number; onListen(a: { port: number }): void }, f: Fetch): void };
};

if (Bun !== undefined) {
  // Herald's default heartbeat on Bun (4 s) keeps streams inside Bun's 10 s idle timeout.
  ready(Bun.serve({ port, fetch: app.fetch }).port);
} else if (Deno !== undefined) {
  Deno.serve({ port, onListen: (info) => ready(info.port) }, app.fetch);
} else {
  const { serve } = await import('@hono/node-server');
  serve({ fetch: app.fetch, port }, (info) => ready(info.port));
}
