import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../fixtures/latency-probe.js', import.meta.url));

/** What the probe measured, per URL in the order given. */
export interface ProbeReport {
  /** The slowest ping, ms. */
  worst: number[];
  pings: number[];
  failed: number[];
}

/** A running probe (test/redis/fixtures/latency-probe.ts); `stop()` ends it with its figures. */
export interface LatencyProbe {
  stop(): Promise<ProbeReport>;
}

/** Starts the probe in its own process; resolves once every URL answered a first ping. */
export async function startProbe(urls: readonly string[]): Promise<LatencyProbe> {
  const child = spawn(process.execPath, [FIXTURE, ...urls], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const line = await lines.next();
    if (line.done) throw new Error('the latency probe exited early');
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  await next();
  return {
    stop: async () => {
      child.stdin!.end();
      return (await next()) as unknown as ProbeReport;
    },
  };
}
