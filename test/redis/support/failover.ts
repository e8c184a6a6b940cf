import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { createParser } from 'eventsource-parser';
import type { Received } from './cluster.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/herald-graceful-node.js', import.meta.url));

/** How a child process ended, and when (ms since the epoch). */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/** One Herald process with shutdown hooks (test/redis/fixtures/herald-graceful-node.ts). */
export interface GracefulNode {
  url: string;
  child: ChildProcess;
  /** Every JSON line it printed after the first (its lifecycle hooks, in order). */
  reports: Array<Record<string, unknown>>;
  exited: Promise<Exit>;
  /** SIGKILL if still running, and wait until it is gone. */
  kill(): Promise<void>;
}

/** Shutdown settings handed to the child (`HeraldFactory.create(…, { shutdown })`). */
export interface NodeShutdown {
  retry: number;
  retryJitter: number;
  timeout: number;
}

/** Starts a Herald process on a free port, on the Redis at `redisUrl` under `prefix`. */
export function startGracefulNode(
  redisUrl: string,
  prefix: string,
  shutdown: NodeShutdown,
): Promise<GracefulNode> {
  const child = spawn(process.execPath, [FIXTURE], {
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      HERALD_PREFIX: prefix,
      PORT: '0',
      SHUTDOWN: JSON.stringify(shutdown),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const reports: Array<Record<string, unknown>> = [];
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
        buffer = buffer.slice(nl + 1);
        if (typeof line.port !== 'number') reports.push(line);
        else
          resolve({
            url: `http://127.0.0.1:${line.port}`,
            child,
            reports,
            exited,
            kill: async () => {
              if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
              await exited;
            },
          });
      }
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`node exited early (${code ?? signal})`)),
    );
  });
}

/** One connection of a {@link FailoverClient}: where, and how it ended. */
export interface Visit {
  node: number;
  /** The response status, once the head arrived (none when the connection failed). */
  status: number | undefined;
  /** The last `retry:` the stream sent, if any. */
  retry: number | undefined;
  /** When the stream ended (clean end or failure), ms since the epoch. */
  endedAt: number | undefined;
  /** How it ended: `end` (the server ended the body cleanly) or `error` (refused, cut, or not 200). */
  outcome: 'end' | 'error' | undefined;
}

/**
 * An SSE client behind a list of processes, as a browser's `EventSource` behind a load balancer:
 * when its stream ends it waits the server's last `retry:` (HTML 9.2.3) and reconnects to the next
 * process with its Last-Event-ID; when a process refuses (error, non-200) it moves on after 50 ms.
 */
export class FailoverClient {
  readonly events: Received[] = [];
  readonly visits: Visit[] = [];
  lastEventId: string | undefined;
  #urls: readonly string[];
  #topics: readonly string[];
  #node: number;
  #retry: number | undefined;
  #req: http.ClientRequest | undefined;
  #closed = false;

  constructor(urls: readonly string[], topics: readonly string[], node: number, lastId?: string) {
    this.#urls = urls;
    this.#topics = topics;
    this.#node = node;
    this.lastEventId = lastId;
    this.#connect();
  }

  get topics(): readonly string[] {
    return this.#topics;
  }

  /** The visits that opened a stream (200), in order. */
  get streams(): Visit[] {
    return this.visits.filter((v) => v.status === 200);
  }

  close(): void {
    this.#closed = true;
    this.#req?.destroy();
  }

  #connect(): void {
    if (this.#closed) return;
    const visit: Visit = {
      node: this.#node,
      status: undefined,
      retry: undefined,
      endedAt: undefined,
      outcome: undefined,
    };
    this.visits.push(visit);
    const url = `${this.#urls[this.#node]}/events?topics=${this.#topics.join(',')}`;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.lastEventId !== undefined) headers['last-event-id'] = this.lastEventId;
    const req = http.get(url, { headers, agent: false });
    this.#req = req;
    const next = (outcome: Visit['outcome'], wait: number) => {
      if (this.#req !== req || this.#closed) return;
      this.#req = undefined;
      visit.endedAt = Date.now();
      visit.outcome = outcome;
      this.#node = (this.#node + 1) % this.#urls.length;
      setTimeout(() => this.#connect(), wait);
    };
    req.on('error', () => next('error', 50));
    req.on('response', (res) => {
      visit.status = res.statusCode;
      if (res.statusCode !== 200) {
        res.resume();
        next('error', 50);
        return;
      }
      const parser = createParser({
        onEvent: (e) => {
          if (this.#req !== req) return;
          this.events.push({ id: e.id, type: e.event, data: e.data });
          if (e.id !== undefined) this.lastEventId = e.id;
        },
        onRetry: (ms) => {
          this.#retry = ms;
          visit.retry = ms;
        },
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.feed(chunk));
      res.on('end', () => next('end', this.#retry ?? 50));
      res.on('error', () => next('error', 50));
      // Cut without an end (after 'end' this does nothing: the visit is over).
      res.on('close', () => next('error', 50));
    });
  }
}
