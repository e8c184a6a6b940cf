import http from 'node:http';
import { createEventStreamParser } from '#herald/wire/parse-event-stream.js';
import { createParser } from 'eventsource-parser';

/** A run as one client saw it. */
export interface RunView {
  /** The data of every event but the terminal one, in arrival order. */
  data: string[];
  /** The terminal event's status, once it arrived. */
  status: string | undefined;
  /** Statuses of every response, in order (200 per stream, 204 at the very end). */
  statuses: number[];
}

/**
 * A follower of one run on node:http that behaves like `EventSource`: after the stream ends or
 * breaks it reconnects with the Last-Event-ID it received (`urls` in turn: another process on
 * Redis), and stops at 204. `cuts` are event counts at which it drops the connection itself. The
 * first request may be the POST that starts the run (`post`); reconnections are GETs.
 */
export class RunClient implements RunView {
  readonly data: string[] = [];
  status: string | undefined;
  readonly statuses: number[] = [];
  lastId = '';
  readonly done: Promise<RunView>;
  #urls: string[];
  #cuts: number[];
  #post: string | undefined;
  #turn = 0;
  #resolve!: (view: RunView) => void;
  #reject!: (err: Error) => void;
  #req: http.ClientRequest | undefined;
  #closed = false;

  constructor(
    urls: string | string[],
    options: { cuts?: number[]; post?: unknown; lastId?: string } = {},
  ) {
    this.#urls = [urls].flat();
    this.#cuts = [...(options.cuts ?? [])].sort((a, b) => a - b);
    this.#post = options.post === undefined ? undefined : JSON.stringify(options.post);
    this.lastId = options.lastId ?? '';
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.done.catch(() => {});
    this.#connect();
  }

  close(): void {
    this.#closed = true;
    this.#req?.destroy();
  }

  #connect(): void {
    if (this.#closed) return;
    const url = this.#urls[this.#turn++ % this.#urls.length]!;
    const post = this.#post;
    this.#post = undefined;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.lastId !== '') headers['last-event-id'] = this.lastId;
    if (post !== undefined) headers['content-type'] = 'application/json';
    const req = http.request(url, {
      method: post === undefined ? 'GET' : 'POST',
      headers,
      agent: false,
    });
    this.#req = req;
    req.on('error', () => this.#again(req));
    req.on('response', (res) => {
      this.statuses.push(res.statusCode ?? 0);
      if (res.statusCode === 204) {
        res.resume();
        this.#closed = true;
        this.#resolve(this);
        return;
      }
      if (res.statusCode !== 200) {
        res.resume();
        this.#closed = true;
        this.#reject(new Error(`status ${res.statusCode}`));
        return;
      }
      const parser = createEventStreamParser(
        createParser,
        (e) => {
          if (this.#req !== req) return;
          if (e.type === 'herald:end')
            this.status = (JSON.parse(e.data) as { status: string }).status;
          else this.data.push(e.data);
          if (this.#cuts.length > 0 && this.data.length >= this.#cuts[0]!) {
            this.#cuts.shift();
            req.destroy();
          }
        },
        { lastEventId: this.lastId },
      );
      res.on('data', (chunk: Buffer) => {
        if (this.#req !== req) return;
        parser.push(chunk);
        this.lastId = parser.lastEventId;
      });
      res.on('error', () => {});
      res.on('close', () => this.#again(req));
    });
    req.end(post);
  }

  #again(req: http.ClientRequest): void {
    if (this.#req !== req || this.#closed) return;
    this.#req = undefined;
    setTimeout(() => this.#connect(), 5);
  }
}

/** `['0', '1', ..., String(n - 1)]`: what a ticker run of `n` events sends. */
export function numbers(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(i));
}
