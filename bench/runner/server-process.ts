import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BUN = fileURLToPath(new URL('../../../node_modules/.bin/bun', import.meta.url));

/** What a bench server reports on `GET /stats`. */
export interface ServerStats {
  clients: number;
  rss: number;
  heapUsed: number;
  /** CPU time the process has used (user + system), ms. */
  cpuMs: number;
}

/** How to start a server beyond its script: extra node flags and environment. */
export interface ServerLaunch {
  nodeArgs?: readonly string[];
  /** The runtime that runs the script (default Node). Bun comes from the `bun` devDependency. */
  runtime?: 'node' | 'bun';
  env?: Readonly<Record<string, string>>;
}

/**
 * A peer's server in its own process, on 127.0.0.1 and a free port. It is started with
 * `--expose-gc` so `GET /stats?gc=1` can collect before measuring memory.
 */
export class ServerProcess {
  readonly port: number;
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess, port: number) {
    this.#child = child;
    this.port = port;
  }

  /**
   * Starts `script` and waits for its `READY <port>` line; rejects with its last output if not.
   * `launch.nodeArgs` go before the script (e.g. `--cpu-prof`), `launch.env` is added to ours.
   */
  static start(
    script: string,
    launch: ServerLaunch = {},
    timeoutMs = 30_000,
  ): Promise<ServerProcess> {
    const [command, args] =
      launch.runtime === 'bun'
        ? [BUN, [script]]
        : [process.execPath, ['--expose-gc', ...(launch.nodeArgs ?? []), script]];
    const child = spawn(command, args, {
      env: { ...process.env, ...launch.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const keep = (line: string): void => {
      output.push(line);
      if (output.length > 20) output.shift();
    };
    createInterface({ input: child.stderr! }).on('line', keep);
    return new Promise((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${why}${output.length > 0 ? `: ${output.slice(-5).join(' | ')}` : ''}`));
      };
      const timer = setTimeout(() => fail('no ready line in time'), timeoutMs);
      child.once('exit', (code, signal) => fail(`exited (${signal ?? code})`));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const ready = /^READY (\d+)/.exec(line);
        if (ready === null) return keep(line);
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(new ServerProcess(child, Number(ready[1])));
      });
    });
  }

  /** `GET /stats`, after a full GC in the server when `gc` is set. */
  async stats(gc = false): Promise<ServerStats> {
    const res = await fetch(`http://127.0.0.1:${this.port}/stats${gc ? '?gc=1' : ''}`);
    return (await res.json()) as ServerStats;
  }

  /** Polls `GET /stats` until the server counts `clients` subscribers or `timeoutMs` passes. */
  async waitForClients(clients: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let seen = -1;
    while (Date.now() < deadline) {
      seen = (await this.stats()).clients;
      if (seen === clients) return seen;
      await new Promise((r) => setTimeout(r, 100));
    }
    return seen;
  }

  /** `POST /publish`: the server starts the burst and answers at once. */
  async publish(n: number, rate: number, size: number, batch: number): Promise<void> {
    const res = await fetch(
      `http://127.0.0.1:${this.port}/publish?n=${n}&rate=${rate}&size=${size}&batch=${batch}`,
      { method: 'POST' },
    );
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`publish answered ${res.status}`);
  }

  /** Ends the process: SIGTERM, then SIGKILL if it lingers. */
  stop(): Promise<void> {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
