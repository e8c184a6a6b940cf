import { createServer, type ServerResponse } from 'node:http';
import { announceReady, parseBurst, readPort, readStats, startBurst } from './contract.js';

/** `node:http` with each event encoded once into a Buffer and handed to every `res.write`. */
const clients = new Set<ServerResponse>();

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method === 'GET' && url.pathname === '/sse') {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    clients.add(res);
    res.once('close', () => clients.delete(res));
    return;
  }
  if (req.method === 'GET' && url.pathname === '/stats') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(readStats(clients.size, url.searchParams.has('gc')));
    return;
  }
  if (req.method === 'POST' && url.pathname === '/publish') {
    startBurst(parseBurst(url.searchParams), {
      publish(data) {
        const frame = Buffer.from(`data: ${data}\n\n`);
        for (const res of clients) res.write(frame);
      },
    });
    res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"started":true}');
    return;
  }
  res.writeHead(404).end();
});
server.listen(readPort(), '127.0.0.1', () => {
  const address = server.address();
  announceReady(typeof address === 'object' && address !== null ? address.port : 0);
});
