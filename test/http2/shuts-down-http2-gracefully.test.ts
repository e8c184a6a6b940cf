import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { connectH2, openStream } from '../support/h2-client.js';
import { h2Request } from './support/h2-app.js';

const FIXTURE = join(import.meta.dirname, '..', 'reliability', 'fixtures', 'shutdown-app.js');

interface Child {
  proc: ChildProcess;
  url: string;
  exited: Promise<{ signal: NodeJS.Signals | null; at: number }>;
}

function start(env: Record<string, string>): Promise<Child> {
  const proc = spawn(process.execPath, [FIXTURE], {
    env: { ...process.env, HTTP2: '1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ signal: NodeJS.Signals | null; at: number }>((resolve) =>
    proc.on('exit', (_code, signal) => resolve({ signal, at: Date.now() })),
  );
  return new Promise((resolve, reject) => {
    let buffer = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const match = /"listening":"([^"]+)"/.exec(buffer);
      if (match) resolve({ proc, url: match[1]!, exited });
    });
    proc.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
}

describe('graceful shutdown over HTTP/2', () => {
  it('on SIGTERM sends GOAWAY, ends every stream with its retry hint, finishes requests, exits', async () => {
    const child = await start({});
    assert.match(child.url, /^https:/);
    const session = connectH2(child.url);
    let goaway = false;
    session.on('goaway', () => {
      goaway = true;
    });
    try {
      const streams = [1, 2, 3].map(() => openStream(session, '/events'));
      await Promise.all(streams.map((s) => s.waitFor('data: open\n\n')));
      const inFlight = h2Request(session, { ':path': '/slow' });
      await new Promise((r) => setTimeout(r, 50));
      const sent = Date.now();
      child.proc.kill('SIGTERM');
      for (const s of streams) {
        const { ended, rstCode } = await s.closed;
        assert.ok(ended && rstCode === 0, 'ended cleanly, not reset');
        assert.match(s.text(), /data: open\n\n[\s\S]*retry: 1234\n\n$/);
      }
      const slow = await inFlight;
      assert.deepEqual(
        [slow.status, slow.body],
        [200, 'finished'],
        'an in-flight request finishes',
      );
      const { signal, at } = await child.exited;
      assert.ok(goaway, 'the session was told GOAWAY');
      assert.equal(signal, 'SIGTERM');
      assert.ok(at - sent < 3_000, `exited ${at - sent} ms after SIGTERM`);
    } finally {
      session.destroy();
      child.proc.kill('SIGKILL');
    }
  });

  it('exits within shutdown.timeout even when a destroy hook hangs and sessions stay open', async () => {
    const child = await start({ HANG_DESTROY: '1', SHUTDOWN_TIMEOUT: '1000' });
    const session = connectH2(child.url);
    try {
      const stream = openStream(session, '/events');
      await stream.waitFor('data: open');
      const sent = Date.now();
      child.proc.kill('SIGTERM');
      const { signal, at } = await child.exited;
      assert.equal(signal, 'SIGTERM');
      assert.ok(at - sent < 2_500, `exited ${at - sent} ms after SIGTERM (timeout 1,000)`);
    } finally {
      session.destroy();
      child.proc.kill('SIGKILL');
    }
  });
});
