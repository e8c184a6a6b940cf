import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { HeraldNode } from './cluster.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/herald-runs-node.js', import.meta.url));

/**
 * Starts one Herald process with run routes on `prefix` (fixtures/herald-runs-node.ts); `env` adds
 * HERALD_REDIS_CLUSTER or HERALD_REDIS_SHARDS.
 */
export async function startRunNode(
  redisUrl: string,
  prefix: string,
  leaseMs: number,
  env: Record<string, string> = {},
): Promise<HeraldNode> {
  const child = spawn(process.execPath, [FIXTURE], {
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      HERALD_PREFIX: prefix,
      LEASE_MS: String(leaseMs),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`herald-runs-node exited with ${code}`)));
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
