import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, execSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EventSource } from 'eventsource';
import { until } from '../support/http-server.js';

/**
 * The README, read as a newcomer would: the set-up commands of the block marked
 * `<!-- docs-test: setup -->`, and every block marked `<!-- docs-test: file PATH -->` written to PATH.
 */
function readmeBlocks(): { setup: string[]; files: Map<string, string> } {
  const text = readFileSync('README.md', 'utf8');
  const marked = /<!-- docs-test: (setup|file (\S+)) -->\n```\w*\n([\s\S]*?)\n```/g;
  const files = new Map<string, string>();
  let setup: string[] = [];
  for (const m of text.matchAll(marked)) {
    if (m[1] === 'setup') setup = m[3]!.split('\n').filter((l) => l.trim() !== '');
    else files.set(m[2]!, `${m[3]!}\n`);
  }
  return { setup, files };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A child process with its output collected. */
function run(
  cwd: string,
  file: string,
  env: Record<string, string>,
): { child: ChildProcess; out: () => string } {
  const child = spawn(process.execPath, [file], { cwd, env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  return { child, out: () => out };
}

async function listening(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the README, followed in a new project with the packed package', () => {
  const { setup, files } = readmeBlocks();
  let project = '';
  let tarball = '';
  const children: ChildProcess[] = [];
  const npm = (args: string[]) =>
    execFileSync('npm', args, {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });

  before(() => {
    const packs = mkdtempSync(join(tmpdir(), 'herald-pack-'));
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packs], {
      cwd: resolve('.'),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    tarball = join(packs, readdirSync(packs).find((f) => f.endsWith('.tgz'))!);
    project = mkdtempSync(join(tmpdir(), 'herald-readme-'));
  });
  after(() => {
    for (const c of children) c.kill();
    if (project !== '') rmSync(project, { recursive: true, force: true });
    if (tarball !== '') rmSync(dirname(tarball), { recursive: true, force: true });
  });

  it('sets up with the README commands, its tsconfig.json, and compiles every example with tsc', () => {
    assert.ok(setup.length >= 3, 'the README has set-up commands');
    assert.deepEqual([...files.keys()].sort(), [
      'src/client.ts',
      'src/clock.test.ts',
      'src/main.ts',
      'src/news.ts',
      'tsconfig.json',
    ]);
    for (const line of setup) {
      assert.match(line, /^npm /, line);
      // The package under test is the packed one; everything else comes from the registry (or
      // npm's cache) as it would for a newcomer.
      let command = line.replace(/ herald(?= |$)/, ` ${tarball}`);
      if (/^npm install /.test(command)) command += ' --prefer-offline --no-audit --no-fund';
      execSync(command, { cwd: project, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    }
    // The client and testing sections ask for the optional peer first.
    npm(['install', '-D', 'eventsource-parser', '--prefer-offline', '--no-audit', '--no-fund']);
    for (const [path, content] of files) {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), content);
    }
    npm(['run', 'build']);
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
      type: string;
    };
    assert.equal(pkg.type, 'module');
  });

  it('Quick start: the events route streams to a real EventSource', async () => {
    const port = await freePort();
    const app = run(project, 'dist/main.js', { PORT: String(port) });
    children.push(app.child);
    await listening(port);
    const source = new EventSource(`http://127.0.0.1:${port}/events`);
    const counts: number[] = [];
    source.onmessage = ({ data }) => counts.push((JSON.parse(data) as { count: number }).count);
    try {
      await until(() => counts.length >= 2, `two events (${app.out()})`, 30_000);
      assert.deepEqual(counts.slice(0, 2), [0, 1]);
    } finally {
      source.close();
      app.child.kill();
    }
  });

  it('the Hub and client examples: a published headline reaches the typed client', async () => {
    const port = await freePort();
    const news = run(project, 'dist/news.js', { PORT: String(port) });
    children.push(news.child);
    await listening(port);
    const client = run(project, 'dist/client.js', { NEWS_URL: `http://127.0.0.1:${port}` });
    children.push(client.child);
    const exited = new Promise<number | null>((r) => client.child.on('exit', r));
    await until(
      () => client.out().includes('open 200'),
      `the client to open (${client.out()})`,
      30_000,
    );
    const res = await fetch(`http://127.0.0.1:${port}/news`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Hello' }),
    });
    assert.equal(res.status, 201);
    const id = await res.text();
    assert.equal(await exited, 0, client.out());
    const lines = client.out().trim().split('\n');
    assert.deepEqual(lines, [
      'open 200',
      `headline Hello id ${id}`,
      'first headline Hello',
      'HTTP_STATUS 404',
    ]);
    news.child.kill();
  });

  it('the testing example passes under node --test', () => {
    // A test runner of its own, not a subtest of this one (the runner marks its children by env).
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const out = execFileSync(process.execPath, ['--test', 'dist/'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 120_000,
      env,
    });
    assert.match(out, /# pass 1\n/);
    assert.match(out, /# fail 0\n/);
  });
});
