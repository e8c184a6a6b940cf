import http2 from 'node:http2';

/** One stream opened by {@link openStream}: its head, what it received, how it ended. */
export interface H2Stream {
  stream: http2.ClientHttp2Stream;
  /** The response head (pseudo-headers included). */
  head: Promise<http2.IncomingHttpHeaders>;
  /** Everything received so far, as UTF-8 text. */
  text(): string;
  /** Resolves once the received text matches `pattern` (fails after `ms` showing what came). */
  waitFor(pattern: string | RegExp, ms?: number): Promise<void>;
  /** Resolves once the stream has closed; with how (the server's end or a reset). */
  closed: Promise<{ ended: boolean; rstCode: number }>;
}

/** An HTTP/2 session over TLS to `url`, trusting any certificate (the tests make their own). */
export function connectH2(url: string, options: http2.SecureClientSessionOptions = {}) {
  const session = http2.connect(url, { rejectUnauthorized: false, ...options });
  session.on('error', () => undefined);
  return session;
}

/** Opens `GET path` on `session`. With `read: false` the stream is never read (its window fills). */
export function openStream(
  session: http2.ClientHttp2Session,
  path: string,
  options: { headers?: http2.OutgoingHttpHeaders; read?: boolean } = {},
): H2Stream {
  const stream = session.request({
    ':path': path,
    accept: 'text/event-stream',
    ...options.headers,
  });
  stream.on('error', () => undefined);
  stream.end();
  const chunks: Buffer[] = [];
  let ended = false;
  if (options.read === false) stream.pause();
  else stream.on('data', (c: Buffer) => chunks.push(c));
  stream.once('end', () => {
    ended = true;
  });
  const head = new Promise<http2.IncomingHttpHeaders>((resolve, reject) => {
    stream.once('response', resolve);
    stream.once('close', () => reject(new Error(`${path}: closed before a response`)));
  });
  head.catch(() => undefined);
  const text = (): string => Buffer.concat(chunks).toString('utf8');
  return {
    stream,
    head,
    text,
    closed: new Promise((r) =>
      stream.once('close', () => r({ ended, rstCode: stream.rstCode ?? 0 })),
    ),
    waitFor: async (pattern, ms = 10_000) => {
      const end = Date.now() + ms;
      const hit = () =>
        typeof pattern === 'string' ? text().includes(pattern) : pattern.test(text());
      while (!hit()) {
        if (Date.now() > end) {
          throw new Error(
            `${path}: timed out waiting for ${pattern}; got ${JSON.stringify(text().slice(-500))}`,
          );
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}
