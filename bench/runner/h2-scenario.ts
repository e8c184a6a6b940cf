import { type ChildProcess, fork } from 'node:child_process';
import { request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { generate } from 'selfsigned';
import type { H2Command, H2Reply } from '../load/h2-generator.js';
import { ServerProcess } from './server-process.js';

const GENERATOR = fileURLToPath(new URL('../load/h2-generator.js', import.meta.url));
const SERVERS = fileURLToPath(new URL('../servers/', import.meta.url));

/** One row of the HTTP/2 scenario: a server script and how the load generator speaks to it. */
export interface H2Case {
  id: string;
  label: string;
  script: string;
  mode: 'h2' | 'h1';
}

/** The rows, in table order; `herald-https1` is the same server as `herald-h2`, read over HTTP/1.1. */
export const H2_CASES: readonly H2Case[] = [
  { id: 'herald-h2', label: 'Herald `@Sse` + Hub, HTTP/2', script: 'herald.js', mode: 'h2' },
  { id: 'herald-https1', label: 'Herald `@Sse` + Hub, HTTPS/1.1', script: 'herald.js', mode: 'h1' },
  {
    id: 'nest-fastify-h2',
    label: 'NestJS 12 `@Sse` on Fastify `http2: true`',
    script: 'nest-fastify.js',
    mode: 'h2',
  },
  {
    id: 'better-sse-h2',
    label: 'better-sse (Channel) on node:http2',
    script: 'better-sse.js',
    mode: 'h2',
  },
];

/** What one row measured. */
export interface H2Result {
  id: string;
  label: string;
  streams: number;
  sessions: number;
  events: number;
  deliveriesPerSec: number;
  delivered: number;
  complete: boolean;
  seconds: number;
  serverCpuUsPerDelivery: number;
  serverCores: number;
  loadCores: number;
  skipped?: string;
}

/** Sizes of the scenario. */
export interface H2Settings {
  streams: number;
  perSession: number;
  events: number;
  size: number;
  batch: number;
  timeoutMs: number;
}

/** A control request over HTTPS/1.1 (every server here also speaks it on the same port). */
function control(port: number, method: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, rejectUnauthorized: false, agent: false },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve(body));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const stats = async (port: number): Promise<{ clients: number; cpuMs: number }> =>
  JSON.parse(await control(port, 'GET', '/stats'));

function generator(): {
  child: ChildProcess;
  ask(c: H2Command, until: H2Reply['type']): Promise<H2Reply>;
} {
  const child = fork(GENERATOR, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (command: H2Command, until: H2Reply['type']): Promise<H2Reply> =>
    new Promise((resolve) => {
      const on = (reply: H2Reply): void => {
        if (reply.type !== until) return;
        child.off('message', on);
        resolve(reply);
      };
      child.on('message', on);
      child.send(command);
    });
  return { child, ask };
}

/** Runs one row on a fresh server and a fresh load generator. */
export async function runH2Case(
  c: H2Case,
  s: H2Settings,
  cert: { key: string; cert: string },
): Promise<H2Result> {
  const sessions = c.mode === 'h2' ? Math.ceil(s.streams / s.perSession) : 1;
  const perSession = c.mode === 'h2' ? s.perSession : s.streams;
  const row = {
    id: c.id,
    label: c.label,
    streams: sessions * perSession,
    sessions,
    events: s.events,
  };
  const server = await ServerProcess.start(`${SERVERS}${c.script}`, {
    env: { BENCH_TLS_KEY: cert.key, BENCH_TLS_CERT: cert.cert },
  });
  const gen = generator();
  try {
    const connected = await gen.ask(
      { type: 'connect', port: server.port, mode: c.mode, sessions, streams: perSession },
      'connected',
    );
    if (connected.type === 'connected' && connected.failed > 0)
      throw new Error(`${connected.failed} streams failed`);
    for (let i = 0; i < 150 && (await stats(server.port)).clients < row.streams; i++)
      await sleep(100);
    await sleep(300);
    const before = await stats(server.port);
    await gen.ask({ type: 'expect', events: s.events, timeoutMs: s.timeoutMs }, 'armed');
    const start = performance.timeOrigin + performance.now();
    await control(
      server.port,
      'POST',
      `/publish?n=${s.events}&rate=0&size=${s.size}&batch=${s.batch}`,
    );
    const reply = await new Promise<H2Reply>((resolve) => gen.child.once('message', resolve));
    const after = await stats(server.port);
    if (reply.type !== 'delivery') throw new Error(`unexpected ${reply.type}`);
    const wallMs = reply.lastAt - start;
    const serverMs = after.cpuMs - before.cpuMs;
    return {
      ...row,
      deliveriesPerSec: reply.delivered / (wallMs / 1000),
      delivered: reply.delivered / (row.streams * s.events),
      complete: reply.complete === row.streams,
      seconds: wallMs / 1000,
      serverCpuUsPerDelivery: (serverMs * 1000) / reply.delivered,
      serverCores: serverMs / wallMs,
      loadCores: reply.cpuMs / wallMs,
    };
  } finally {
    gen.child.send({ type: 'stop' } satisfies H2Command);
    await server.stop();
  }
}

/** Runs every row (those `ids` name, when given) with one certificate made for the run. */
export async function runH2Scenario(
  s: H2Settings,
  ids: readonly string[] | undefined,
  log: (line: string) => void,
): Promise<H2Result[]> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], { keySize: 2048 });
  const cert = { key: pems.private, cert: pems.cert };
  const results: H2Result[] = [];
  // `--peers herald` picks both Herald rows, `--peers herald-h2` one of them.
  const picked = (x: H2Case): boolean =>
    ids === undefined || ids.includes(x.id) || ids.includes(x.script.replace(/\.js$/, ''));
  for (const c of H2_CASES.filter(picked)) {
    try {
      const r = await runH2Case(c, s, cert);
      log(
        `  ${c.id}: ${Math.round(r.deliveriesPerSec)} deliveries/s, ${r.serverCpuUsPerDelivery.toFixed(2)} µs server CPU/delivery, ` +
          `${(r.delivered * 100).toFixed(0)}% in ${r.seconds.toFixed(1)} s (server ${r.serverCores.toFixed(2)} cores, load ${r.loadCores.toFixed(2)})`,
      );
      results.push(r);
    } catch (error) {
      log(`  ${c.id}: skipped (${(error as Error).message})`);
      results.push({
        id: c.id,
        label: c.label,
        streams: 0,
        sessions: 0,
        events: 0,
        deliveriesPerSec: 0,
        delivered: 0,
        complete: false,
        seconds: 0,
        serverCpuUsPerDelivery: 0,
        serverCores: 0,
        loadCores: 0,
        skipped: (error as Error).message,
      });
    }
  }
  return results;
}
