import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer } from 'node:http2';
import { createChannel, createSession } from 'better-sse';
import { benchTls } from './bench-tls.js';
import { announceReady, parseBurst, readPort, readStats, startBurst } from './contract.js';

/**
 * better-sse: one Channel, every session registered on it, `channel.broadcast(data)` per event.
 * Defaults everywhere (JSON serializer, an id per event, the initial `retry:`), except that the
 * keep-alive comment is off: the load generator counts every frame.
 */
const channel = createChannel();

const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method === 'GET' && url.pathname === '/sse') {
    if (req.httpVersionMajor === 1) req.socket.setNoDelay(true);
    channel.register(await createSession(req, res, { keepAlive: null }));
    return;
  }
  if (req.method === 'GET' && url.pathname === '/stats') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(readStats(channel.sessionCount, url.searchParams.has('gc')));
    return;
  }
  if (req.method === 'POST' && url.pathname === '/publish') {
    startBurst(parseBurst(url.searchParams), { publish: (data) => channel.broadcast(data) });
    res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"started":true}');
    return;
  }
  res.writeHead(404).end();
};
// The HTTP/2 scenario: node:http2 over TLS (better-sse's HTTP/2 adapter), HTTP/1.1 allowed.
const tls = benchTls();
const server =
  tls === undefined
    ? createServer(handler)
    : createSecureServer({ ...tls, allowHTTP1: true }, handler as never);
server.listen(readPort(), '127.0.0.1', () => {
  const address = server.address();
  announceReady(typeof address === 'object' && address !== null ? address.port : 0);
});
