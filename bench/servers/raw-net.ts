import { createServer, type Socket } from 'node:net';
import { announceReady, parseBurst, readPort, readStats, startBurst } from './contract.js';

/**
 * The floor: `node:net` with a handwritten minimal HTTP/1.1 response. Each event is encoded once
 * into one Buffer; every socket is corked for a batch and uncorked after it, so a batch of events
 * leaves in one writev per socket.
 */
const HEAD =
  'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n' +
  'Connection: keep-alive\r\n\r\n';
const clients: Socket[] = [];

function reply(socket: Socket, status: string, body: string): void {
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function subscribe(socket: Socket): void {
  socket.setNoDelay(true);
  socket.write(HEAD);
  clients.push(socket);
  socket.once('close', () => {
    const at = clients.indexOf(socket);
    if (at >= 0) {
      clients[at] = clients[clients.length - 1]!;
      clients.pop();
    }
  });
}

function route(socket: Socket, head: string): void {
  const [method, target = '/'] = head.slice(0, head.indexOf('\r\n')).split(' ');
  const url = new URL(target, 'http://127.0.0.1');
  if (method === 'GET' && url.pathname === '/sse') subscribe(socket);
  else if (method === 'GET' && url.pathname === '/stats') {
    reply(socket, '200 OK', readStats(clients.length, url.searchParams.has('gc')));
  } else if (method === 'POST' && url.pathname === '/publish') {
    startBurst(parseBurst(url.searchParams), {
      publish(data) {
        const frame = Buffer.from(`data: ${data}\n\n`);
        for (let i = 0; i < clients.length; i++) clients[i]!.write(frame);
      },
      batchStart() {
        for (let i = 0; i < clients.length; i++) clients[i]!.cork();
      },
      batchEnd() {
        for (let i = 0; i < clients.length; i++) clients[i]!.uncork();
      },
    });
    reply(socket, '202 Accepted', '{"started":true}');
  } else reply(socket, '404 Not Found', '{}');
}

const server = createServer((socket) => {
  let head = '';
  const onData = (chunk: Buffer): void => {
    head += chunk.toString('latin1');
    if (!head.includes('\r\n\r\n')) return;
    socket.off('data', onData);
    route(socket, head);
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
});
server.listen(readPort(), '127.0.0.1', () => {
  const address = server.address();
  announceReady(typeof address === 'object' && address !== null ? address.port : 0);
});
