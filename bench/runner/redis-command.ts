import { connect } from 'node:net';

/**
 * Sends one command to the Redis at `url` on a fresh connection and resolves with the first line
 * of the reply (`+PONG`, `:1`), or undefined when Redis cannot be reached within `timeoutMs`. The
 * runner needs only PING (is Redis there?) and DEL (remove a run's stream), so it speaks RESP by
 * hand rather than loading a client.
 */
export function redisCommand(
  url: string,
  args: readonly string[],
  timeoutMs = 1000,
): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  const request = `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  return new Promise((resolve) => {
    let reply = '';
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    const done = (line: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(line);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      const end = reply.indexOf('\r\n');
      if (end !== -1) done(reply.slice(0, end));
    });
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(undefined));
  });
}
