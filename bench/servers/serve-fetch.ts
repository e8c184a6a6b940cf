import { announceReady, readPort } from './contract.js';

type Fetch = (request: Request) => Response | Promise<Response>;
type BunServe = (o: { port: number; hostname: string; idleTimeout: number; fetch: Fetch }) => {
  port: number;
};

/**
 * Serves a fetch handler on 127.0.0.1 with the runtime's own server: `Bun.serve` on Bun,
 * `@hono/node-server` on Node. Then prints the contract's ready line.
 */
export async function serveFetch(fetch: Fetch): Promise<void> {
  const bun = (globalThis as { Bun?: { serve: BunServe } }).Bun;
  if (bun !== undefined) {
    // No idle timeout: bench clients sit idle between cases, and no heartbeat is sent.
    announceReady(
      bun.serve({ port: readPort(), hostname: '127.0.0.1', idleTimeout: 0, fetch }).port,
    );
    return;
  }
  const { serve } = await import('@hono/node-server');
  serve({ fetch, port: readPort(), hostname: '127.0.0.1' }, (info) => announceReady(info.port));
}
