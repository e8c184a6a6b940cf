import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DeliveryReply, GeneratorCommand, GeneratorReply } from '../load/messages.js';

const GENERATOR = fileURLToPath(new URL('../load/generator.js', import.meta.url));

/** The sum of every generator's {@link DeliveryReply}. */
export interface Delivery {
  connections: number;
  complete: number;
  delivered: number;
  excess: number;
  closed: number;
  lastAt: number;
  samples: number[];
  /** CPU time of every generator process during the case, ms. */
  cpuMs: number[];
}

/**
 * One or more load generator processes, each holding at most `perProcess` sockets (the open-files
 * limit is per process: 20,000 here, and the server holds its own). Commands go to all of them and
 * their replies are summed.
 */
export class LoadPool {
  readonly #children: ChildProcess[] = [];
  readonly #inbox = new Map<ChildProcess, GeneratorReply[]>();
  readonly #waiters = new Map<ChildProcess, (reply: GeneratorReply) => void>();

  constructor(processes: number) {
    for (let i = 0; i < processes; i++) {
      const child = fork(GENERATOR, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      this.#inbox.set(child, []);
      child.on('message', (reply: GeneratorReply) => {
        const waiter = this.#waiters.get(child);
        if (waiter === undefined) this.#inbox.get(child)!.push(reply);
        else {
          this.#waiters.delete(child);
          waiter(reply);
        }
      });
      this.#children.push(child);
    }
  }

  /** How many processes are needed for `connections` sockets at `perProcess` each. */
  static sizeFor(connections: number, perProcess: number): number {
    return Math.max(1, Math.ceil(connections / perProcess));
  }

  /** Opens `count` more connections, spread evenly; resolves with how many subscribed. */
  async connect(
    port: number,
    count: number,
    sampled: number,
    sampleEvery: number,
    timeoutMs: number,
  ) {
    const n = this.#children.length;
    const replies = await this.#all((i) => ({
      type: 'connect',
      port,
      count: Math.floor(count / n) + (i < count % n ? 1 : 0),
      sampled: Math.floor(sampled / n) + (i < sampled % n ? 1 : 0),
      sampleEvery,
      timeoutMs,
    }));
    let subscribed = 0;
    let failed = 0;
    for (const reply of replies) {
      if (reply.type !== 'connected') throw new Error(`unexpected reply ${reply.type}`);
      subscribed += reply.subscribed;
      failed += reply.failed;
    }
    return { subscribed, failed };
  }

  /**
   * Takes the baseline on every connection, then runs `publish`, then waits until every connection
   * got `events` more frames or `timeoutMs` passed.
   */
  async deliver(
    events: number,
    timeoutMs: number,
    publish: () => Promise<void>,
  ): Promise<Delivery> {
    await this.#all(() => ({ type: 'expect', events, timeoutMs }));
    const pending = this.#children.map((child) => this.#next(child));
    await publish();
    const replies = (await Promise.all(pending)) as DeliveryReply[];
    return {
      connections: sum(replies, (r) => r.connections),
      complete: sum(replies, (r) => r.complete),
      delivered: sum(replies, (r) => r.delivered),
      excess: sum(replies, (r) => r.excess),
      closed: sum(replies, (r) => r.closed),
      lastAt: Math.max(...replies.map((r) => r.lastAt)),
      samples: replies.flatMap((r) => r.samples),
      cpuMs: replies.map((r) => r.cpuMs),
    };
  }

  /** Closes every socket and ends the processes. */
  async close(): Promise<void> {
    await Promise.all(
      this.#children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.send({ type: 'close' } satisfies GeneratorCommand);
          }),
      ),
    );
  }

  #all(command: (index: number) => GeneratorCommand): Promise<GeneratorReply[]> {
    return Promise.all(
      this.#children.map((child, i) => {
        const reply = this.#next(child);
        child.send(command(i));
        return reply;
      }),
    );
  }

  #next(child: ChildProcess): Promise<GeneratorReply> {
    const queued = this.#inbox.get(child)!.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`load generator exited (${code})`)));
      this.#waiters.set(child, resolve);
    });
  }
}

function sum<T>(items: T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}
