import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Controller, HeraldFactory, Module } from 'herald';
import { rawGet } from '../support/raw-client.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'shutdown-app.js');

interface Child {
  proc: ChildProcess;
  url: string;
  /** Every JSON line the child reported so far. */
  reports: Array<Record<string, unknown>>;
  /** Resolves with how the child ended and how long after `since` it did. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function start(env: Record<string, string> = {}): Promise<Child> {
  const proc = spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const reports: Array<Record<string, unknown>> = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return new Promise((resolve, reject) => {
    let buffer = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const report = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
        buffer = buffer.slice(nl + 1);
        reports.push(report);
        if (typeof report.listening === 'string')
          resolve({ proc, url: report.listening, reports, exited });
        nl = buffer.indexOf('\n');
      }
    });
    proc.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
}

describe('graceful shutdown on a signal', () => {
  it('on SIGTERM stops accepting, tells every stream to reconnect, finishes requests, runs hooks, exits', async () => {
    // A deadline far off, so a busy machine cannot reach it: this shutdown must finish on its own.
    const deadline = 60_000;
    const child = await start({ SHUTDOWN_TIMEOUT: String(deadline) });
    const streams = await Promise.all([1, 2, 3].map(() => rawGet(child.url, '/events')));
    await Promise.all(streams.map((s) => s.waitFor('data: open\n\n')));
    const inFlight = fetch(`${child.url}/slow`).then(async (r) => [r.status, await r.text()]);
    // The signal comes once the slow request is being handled (its handler takes 300 ms).
    while (!child.reports.some((r) => r.slow === 'started')) await sleep(5);

    const sent = Date.now();
    child.proc.kill('SIGTERM');
    const { signal, at } = await child.exited;

    for (const s of streams) {
      await s.ended;
      // The retry hint, then the end of the chunked body: a clean close, not a cut.
      assert.match(s.received(), /data: open\n\n[\s\S]*retry: 1234\n\n\r\n0\r\n\r\n$/);
    }
    assert.deepEqual(await inFlight, [200, 'finished'], 'an in-flight request finishes');
    const hooks = child.reports.filter((r) => !('listening' in r || 'slow' in r));
    assert.deepEqual(hooks, [
      { unsubscribed: true },
      { unsubscribed: true },
      { unsubscribed: true },
      { hook: 'destroy' },
      { hook: 'shutdown', signal: 'SIGTERM' },
    ]);
    assert.equal(signal, 'SIGTERM', 'the signal ends the process as it would have');
    // It exited once the work was done (the shutdown hook ran), not at the deadline.
    assert.ok(at - sent < deadline / 2, `exited ${at - sent} ms after SIGTERM`);
  });

  it('on SIGINT does the same', async () => {
    const child = await start();
    const stream = await rawGet(child.url, '/events');
    await stream.waitFor('data: open');
    child.proc.kill('SIGINT');
    const { signal } = await child.exited;
    await stream.ended;
    assert.match(stream.received(), /retry: 1234\n\n/);
    assert.equal(signal, 'SIGINT');
    assert.deepEqual(child.reports.at(-1), { hook: 'shutdown', signal: 'SIGINT' });
  });

  it('ends the process at the deadline when a destroy hook never finishes', async () => {
    // Long enough that the streams get their retry hint before the deadline, however busy the machine.
    const deadline = 2_000;
    const child = await start({ HANG_DESTROY: '1', SHUTDOWN_TIMEOUT: String(deadline) });
    const stream = await rawGet(child.url, '/events');
    await stream.waitFor('data: open');
    const sent = Date.now();
    child.proc.kill('SIGTERM');
    const { signal, at } = await child.exited;
    await stream.ended;
    assert.match(stream.received(), /retry: 1234\n\n/);
    assert.equal(signal, 'SIGTERM');
    // Not before the deadline (its timer starts once the child sees the signal, after `sent`); the
    // hung hook would otherwise hold the process forever, so any exit is the deadline's doing.
    assert.ok(at - sent >= deadline - 2, `exited ${at - sent} ms after SIGTERM`);
    assert.ok(at - sent < deadline + 30_000, `exited ${at - sent} ms after SIGTERM`);
    assert.ok(child.reports.some((r) => r.hook === 'destroy'));
    assert.ok(
      !child.reports.some((r) => r.hook === 'shutdown'),
      'the hung hook never let it finish',
    );
  });
});

@Controller()
class EmptyController {}

@Module({ controllers: [EmptyController] })
class EmptyModule {}

describe('enableShutdownHooks', () => {
  it('stops listening for signals once the app is closed, and when enabled twice keeps one listener', async () => {
    const before = process.listenerCount('SIGTERM');
    const app = await HeraldFactory.create(EmptyModule, { logger: false });
    app.enableShutdownHooks().enableShutdownHooks(['SIGTERM', 'SIGHUP']);
    assert.equal(process.listenerCount('SIGTERM'), before + 1);
    assert.equal(process.listenerCount('SIGINT'), 0);
    await app.close();
    assert.equal(process.listenerCount('SIGTERM'), before);
    assert.equal(process.listenerCount('SIGHUP'), 0);
  });
});
