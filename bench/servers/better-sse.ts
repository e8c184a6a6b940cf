import { createServer } from 'node:http';
import { createChannel, createSession } from 'better-sse';
import { announceReady, parseBurst, readPort, readStats, startBurst } from './contract.js';

/**
 * better-sse: one Channel, every session registered on it, `channel.broadcast(data)` per event.
 * Defaults everywhere (JSON serializer, an id per event, the initial `retry:`), except that the
 * keep-alive comment is off: the load generator counts every frame.
 */
const channel = createChannel();

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method === 'GET' && url.pathname === '/sse') {
    req.socket.setNoDelay(true);
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
});
server.listen(readPort(), '127.0.0.1', () => {
  const address = server.address();
  announceReady(typeof address === 'object' && address !== null ? address.port : 0);
});
