import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** One request as the server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  /** `Last-Event-ID` decoded as UTF-8 (the client sends UTF-8 bytes), if sent. */
  readonly lastEventId: string | undefined;
  readonly body: string;
  readonly at: number;
}

/** A `node:http` server on 127.0.0.1, port 0, that records every request. */
export interface TestServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

export type Handler = (
  req: SeenRequest,
  res: ServerResponse,
  index: number,
) => void | Promise<void>;

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = req.headers['last-event-id'];
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        lastEventId:
          typeof raw === 'string' ? Buffer.from(raw, 'latin1').toString('utf8') : undefined,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      requests.push(seen);
      Promise.resolve(handler(seen, res, requests.length - 1)).catch((error: unknown) => {
        res.destroy(error as Error);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts an event stream response. */
export function openStream(res: ServerResponse, contentType = 'text/event-stream'): void {
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.flushHeaders();
}

/**
 * Writes each chunk separately: waits until it is handed to the socket, then until `delivered`
 * (given the bytes written so far) resolves, e.g. once the client has read them, so every chunk
 * reaches the client as its own read. Without `delivered`, lets the event loop turn once.
 */
export async function writeChunks(
  res: ServerResponse,
  chunks: readonly Uint8Array[],
  delivered: (bytesWritten: number) => Promise<void> = () => nextTurn(),
): Promise<void> {
  let written = 0;
  const closed = once(res, 'close');
  for (const chunk of chunks) {
    if (res.destroyed) return;
    await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
    written += chunk.length;
    await Promise.race([delivered(written), closed]);
  }
}
