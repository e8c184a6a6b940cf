import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { LatencySampler } from './latency-sampler.js';
import type {
  ConnectCommand,
  ExpectCommand,
  GeneratorCommand,
  GeneratorReply,
} from './messages.js';
import { SseReader } from './sse-reader.js';

/**
 * Load generator process (forked by the runner, driven over IPC). Every socket reads into one
 * shared 64 KiB buffer (`onread`), so reading allocates nothing per chunk; counting is done by
 * {@link SseReader} before the callback returns.
 */
interface Client {
  socket: Socket;
  reader: SseReader;
  sampler: LatencySampler | undefined;
  base: number;
  done: boolean;
}

const REQUEST = 'GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n';
/** Connections opened at once: more overflow the listen backlog and stall on SYN retries. */
const IN_FLIGHT = 200;
const shared = Buffer.allocUnsafe(64 * 1024);
const clients: Client[] = [];
const samples: number[] = [];
let closed = 0;
let target = Number.POSITIVE_INFINITY;
let complete = 0;
let onComplete: (() => void) | undefined;

const now = (): number => performance.timeOrigin + performance.now();
const send = (reply: GeneratorReply): void => {
  process.send?.(reply);
};

function open(port: number, sampler: LatencySampler | undefined): Promise<Client> {
  return new Promise((resolve, reject) => {
    const reader = new SseReader(sampler);
    const client: Client = {
      socket: undefined as unknown as Socket,
      reader,
      sampler,
      base: 0,
      done: false,
    };
    let settled = false;
    const socket = connect({
      host: '127.0.0.1',
      port,
      onread: {
        buffer: shared,
        callback: (nread: number, buf: Uint8Array): boolean => {
          const wasSubscribed = reader.subscribed;
          reader.feed(buf as Buffer, nread, now());
          if (!wasSubscribed && reader.subscribed && !settled) {
            settled = true;
            if (reader.status === 200) resolve(client);
            else reject(new Error(`status ${reader.status}`));
          }
          if (!client.done && reader.frames - client.base >= target) finish(client);
          return true;
        },
      },
    });
    client.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(REQUEST));
    socket.on('error', (error) => {
      if (!settled) {
        settled = true;
        reject(error);
      }
    });
    socket.on('close', () => {
      closed++;
      if (!settled) {
        settled = true;
        reject(new Error('closed before the response head'));
      }
    });
  });
}

function finish(client: Client): void {
  client.done = true;
  complete++;
  if (complete === clients.length) onComplete?.();
}

async function connectAll(command: ConnectCommand): Promise<void> {
  const started = now();
  const stride = command.sampled > 0 ? Math.max(1, Math.floor(command.count / command.sampled)) : 0;
  let next = 0;
  let failed = 0;
  const deadline = started + command.timeoutMs;
  const worker = async (): Promise<void> => {
    while (next < command.count && now() < deadline) {
      const index = next++;
      const sampled = stride > 0 && index % stride === 0 && index / stride < command.sampled;
      const sampler = sampled ? new LatencySampler(command.sampleEvery, samples) : undefined;
      try {
        clients.push(await open(command.port, sampler));
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, command.count) }, worker));
  send({ type: 'connected', subscribed: clients.length, failed, ms: now() - started });
}

function expect(command: ExpectCommand): void {
  samples.length = 0;
  complete = 0;
  for (const client of clients) {
    client.base = client.reader.frames;
    client.done = false;
    client.sampler?.reset();
  }
  target = command.events;
  const cpu = process.cpuUsage();
  const report = (): void => {
    clearTimeout(timer);
    onComplete = undefined;
    const lastAt = now();
    let delivered = 0;
    let excess = 0;
    for (const client of clients) {
      const got = client.reader.frames - client.base;
      delivered += Math.min(got, target);
      excess += Math.max(0, got - target);
    }
    target = Number.POSITIVE_INFINITY;
    const used = process.cpuUsage(cpu);
    send({
      type: 'delivery',
      connections: clients.length,
      complete,
      delivered,
      excess,
      closed,
      lastAt,
      samples: samples.slice(),
      cpuMs: (used.user + used.system) / 1000,
    });
  };
  const timer = setTimeout(report, command.timeoutMs);
  onComplete = report;
  send({ type: 'armed' });
  if (clients.length === 0) report();
}

process.on('message', (command: GeneratorCommand) => {
  if (command.type === 'connect') void connectAll(command);
  else if (command.type === 'expect') expect(command);
  else {
    for (const client of clients) client.socket.destroy();
    process.exit(0);
  }
});
// The runner owns this process: if it goes away, so do we (and our sockets).
process.on('disconnect', () => process.exit(0));
