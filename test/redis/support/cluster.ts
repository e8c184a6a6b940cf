import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createParser } from 'eventsource-parser';

const FIXTURE = fileURLToPath(new URL('../fixtures/herald-node.js', import.meta.url));

/** One Herald process of the cluster (test/redis/fixtures/herald-node.ts). */
export interface HeraldNode {
  url: string;
  child: ChildProcess;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<void>;
}

/**
 * Starts the fixture process `file` with `env` added to this process's; resolves once it printed
 * its first line, `{"port":N}` (it listens on 127.0.0.1 there).
 */
export async function startFixture(file: string, env: Record<string, string>): Promise<HeraldNode> {
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  lines.close();
  const exited = new Promise((r) => child.once('exit', r));
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Starts one Herald process on a free port, sharing `prefix` on the Redis at `redisUrl`; `env`
 * adds HERALD_REDIS_CLUSTER or HERALD_REDIS_SHARDS.
 */
export function startNode(
  redisUrl: string,
  prefix: string,
  env: Record<string, string> = {},
): Promise<HeraldNode> {
  return startFixture(FIXTURE, { REDIS_URL: redisUrl, HERALD_PREFIX: prefix, PORT: '0', ...env });
}

/** Publishes through one node; resolves with the id, rejects with the status on failure. */
export async function publish(nodeUrl: string, topic: string, data: unknown): Promise<string> {
  const res = await fetch(`${nodeUrl}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ topic, data }),
  });
  const body = (await res.json()) as { id?: string };
  if (!res.ok || body.id === undefined) throw new Error(`publish answered ${res.status}`);
  return body.id;
}

/** An event as a client received it. */
export interface Received {
  id: string | undefined;
  type: string | undefined;
  data: string;
}

/**
 * An SSE client of the cluster that behaves like a browser's EventSource across a load balancer:
 * when its stream fails or ends it reconnects, to the next node, with its Last-Event-ID.
 */
export class ClusterClient {
  readonly events: Received[] = [];
  lastEventId: string | undefined;
  connects = 0;
  #urls: readonly string[];
  #topics: readonly string[];
  #node: number;
  #req: http.ClientRequest | undefined;
  #closed = false;

  constructor(
    urls: readonly string[],
    topics: readonly string[],
    node: number,
    lastEventId?: string,
  ) {
    this.#urls = urls;
    this.#topics = topics;
    this.#node = node;
    this.lastEventId = lastEventId;
    this.#connect();
  }

  get topics(): readonly string[] {
    return this.#topics;
  }

  /** Published events received (gap notices left out). */
  get published(): Received[] {
    return this.events.filter((e) => e.type === undefined);
  }

  /** Drops the stream and resumes on node `node` with the Last-Event-ID. */
  moveTo(node: number): void {
    this.#node = node;
    const req = this.#req;
    this.#req = undefined;
    req?.destroy();
    this.#connect();
  }

  close(): void {
    this.#closed = true;
    this.#req?.destroy();
  }

  #connect(): void {
    if (this.#closed) return;
    this.connects++;
    const url = `${this.#urls[this.#node]}/events?topics=${this.#topics.join(',')}`;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.lastEventId !== undefined) headers['last-event-id'] = this.lastEventId;
    const req = http.get(url, { headers, agent: false });
    this.#req = req;
    const retry = () => {
      if (this.#req !== req || this.#closed) return;
      this.#req = undefined;
      this.#node = (this.#node + 1) % this.#urls.length;
      setTimeout(() => this.#connect(), 50);
    };
    req.on('error', retry);
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return retry();
      }
      const parser = createParser({
        onEvent: (e) => {
          if (this.#req !== req) return;
          this.events.push({ id: e.id, type: e.event, data: e.data });
          if (e.id !== undefined) this.lastEventId = e.id;
        },
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.feed(chunk));
      res.on('end', retry);
      res.on('error', retry);
    });
  }
}
