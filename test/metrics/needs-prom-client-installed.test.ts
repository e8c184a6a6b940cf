import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

// An app that enables metrics, and a herald/sse user that registers them itself: each prints the
// error it got (or "ok"), so the parent can assert on what a user would see. Plain JavaScript,
// decorators applied as calls, so Node runs it as it is.
const PROBE = `
import { Controller, HeraldFactory, Module } from 'herald';
import { registerHeraldMetrics } from 'herald/metrics';
import { HeraldModule } from 'herald/nest';
class C {}
Controller()(C);
class M {}
Module({ controllers: [C] })(M);
const app = await HeraldFactory.create(M, { logger: false });
const outcome = (fn) => {
  try { fn(); return 'ok'; } catch (e) { return { code: e.code, message: e.message }; }
};
console.log(JSON.stringify({
  app: outcome(() => app.enableMetrics()),
  edge: outcome(() => registerHeraldMetrics({})),
  nest: outcome(() => HeraldModule.forRoot({ metrics: {} })),
  nestWithout: outcome(() => HeraldModule.forRoot()),
}));
await app.close();
`;

/**
 * An app project outside the repository whose node_modules holds herald (its built files) and every
 * dependency the repository has, except `except`: the way an app that never installed prom-client
 * looks to Node's resolver.
 */
function project(except: string[]): { dir: string; run(): Record<string, unknown> } {
  const root = resolve('.');
  const dir = mkdtempSync(join(tmpdir(), 'herald-peer-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, 'herald'), { recursive: true });
  cpSync(join(root, 'dist'), join(modules, 'herald', 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(modules, 'herald', 'package.json'));
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name === 'herald' || name.startsWith('.') || except.includes(name)) continue;
    symlinkSync(join(root, 'node_modules', name), join(modules, name));
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  writeFileSync(join(dir, 'probe.mjs'), PROBE);
  return {
    dir,
    run() {
      const child = spawnSync(process.execPath, ['probe.mjs'], { cwd: dir, encoding: 'utf8' });
      assert.equal(child.status, 0, child.stderr);
      return JSON.parse(child.stdout.trim().split('\n').at(-1)!);
    },
  };
}

describe('metrics without prom-client installed', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('load, and fail at enableMetrics() and HeraldModule.forRoot({ metrics }) with MISSING_PEER and the install line', () => {
    const without = project(['prom-client']);
    dirs.push(without.dir);
    const { app, edge, nest, nestWithout } = without.run();
    const expected = {
      code: 'MISSING_PEER',
      message: 'herald metrics need prom-client: npm install prom-client',
    };
    assert.deepEqual(app, expected);
    assert.deepEqual(edge, expected);
    assert.deepEqual(nest, expected, 'HeraldModule.forRoot({ metrics }) asks for it too');
    assert.equal(nestWithout, 'ok', 'a Nest app that asks for no metrics never needs it');
  });

  it('work in the same project once prom-client is there', () => {
    const withIt = project([]);
    dirs.push(withIt.dir);
    assert.deepEqual(withIt.run(), { app: 'ok', edge: 'ok', nest: 'ok', nestWithout: 'ok' });
  });
});
