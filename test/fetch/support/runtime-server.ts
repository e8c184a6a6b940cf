import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A runtime the fetch suite runs its servers on. */
export type Runtime = 'node' | 'bun' | 'deno';

const bin = (name: string): string =>
  fileURLToPath(new URL(`../../../../node_modules/.bin/${name}`, import.meta.url));

/** The command that runs a compiled script on `runtime` (Bun and Deno come from npm). */
export function runtimeCommand(runtime: Runtime, script: string): [string, string[]] {
  if (runtime === 'bun') return [bin('bun'), [script]];
  // Deno resolves `herald/*` and `hono` through package.json and node_modules as Node does.
  if (runtime === 'deno')
    return [bin('deno'), ['run', '--allow-net', '--allow-read', '--allow-env', script]];
  return [process.execPath, [script]];
}

/** A server script running in its own process. */
export interface RunningServer {
  url: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts `script` (a path relative to build/test/fetch/support) on `runtime` with `env`, and
 * resolves once it prints `READY <port>`.
 */
export function startServer(
  runtime: Runtime,
  script: string,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const [command, args] = runtimeCommand(runtime, path);
  const child = spawn(command, args, {
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    // A cold start of a runtime on a loaded machine can take seconds.
    const timer = setTimeout(() => fail('no READY line in 30 s'), 30_000);
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${runtime} ${script}: ${why}\n${out}\n${err}`));
    };
    child.once('exit', (code) => fail(`exited with ${code}`));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /READY (\d+)/.exec(out);
      if (ready === null) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve({ url: `http://127.0.0.1:${ready[1]}`, stderr: () => err, stop: () => stop(child) });
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
