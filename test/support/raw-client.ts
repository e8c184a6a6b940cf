import net from 'node:net';

/** A raw HTTP/1.1 GET on a socket, for tests that need to see or withhold every byte. */
export interface RawClient {
  socket: net.Socket;
  /** Everything received so far (head and body), as latin1 text. */
  received(): string;
  /** Resolves when the received text contains `needle` (fails after `ms`, 30 s by default). */
  waitFor(needle: string, ms?: number): Promise<void>;
  /** Resolves when the server closes the socket. */
  ended: Promise<void>;
}

export function rawGet(
  url: string,
  path = '/',
  options: { read?: boolean; version?: '1.0' | '1.1'; headers?: Record<string, string> } = {},
): Promise<RawClient> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      const extra = Object.entries(options.headers ?? {})
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.write(
        `GET ${path} HTTP/${options.version ?? '1.1'}\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\n${extra}\r\n`,
      );
      resolve(client);
    });
    socket.once('error', reject);
    const chunks: Buffer[] = [];
    const ended = new Promise<void>((r) => socket.once('close', () => r()));
    if (options.read === false) socket.pause();
    else socket.on('data', (c: Buffer) => chunks.push(c));
    const client: RawClient = {
      socket,
      ended,
      received: () => Buffer.concat(chunks).toString('latin1'),
      waitFor: async (needle, ms = 30_000) => {
        const end = Date.now() + ms;
        while (!client.received().includes(needle)) {
          if (Date.now() > end)
            throw new Error(
              `timed out waiting for ${JSON.stringify(needle)}; got ${JSON.stringify(client.received())}`,
            );
          await new Promise((r) => setTimeout(r, 5));
        }
      },
    };
  });
}
