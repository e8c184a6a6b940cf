import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { isHeraldError } from 'herald';
import { requirePeer } from '#herald/nest/nest-peers.js';

describe('herald/nest without NestJS installed', () => {
  it('requirePeer throws MISSING_PEER naming what to install', () => {
    assert.throws(
      () => requirePeer('@nestjs/not-a-package'),
      (err: unknown) =>
        isHeraldError(err, 'MISSING_PEER') &&
        /npm install @nestjs\/common @nestjs\/core/.test(err.message),
    );
  });

  it('importing herald/nest in a project without @nestjs/* fails with MISSING_PEER', () => {
    // A project outside the repository (so nothing resolves from its node_modules) holding the
    // built package and only herald's own dependencies.
    const root = resolve('.');
    const dir = mkdtempSync(join(tmpdir(), 'herald-no-nest-'));
    try {
      const herald = join(dir, 'node_modules', 'herald');
      mkdirSync(herald, { recursive: true });
      cpSync(join(root, 'dist'), join(herald, 'dist'), { recursive: true });
      cpSync(join(root, 'package.json'), join(herald, 'package.json'));
      for (const dep of ['rxjs', 'tslib', 'reflect-metadata']) {
        symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
      }
      writeFileSync(join(dir, 'package.json'), '{"type":"module","private":true}');
      writeFileSync(
        join(dir, 'probe.mjs'),
        `try { await import('herald/nest'); console.log('loaded'); }
catch (err) { console.log(JSON.stringify({ code: err.code, message: err.message })); }`,
      );
      const r = spawnSync(process.execPath, ['probe.mjs'], { cwd: dir, encoding: 'utf8' });
      const out = JSON.parse(r.stdout) as { code: string; message: string };
      assert.equal(out.code, 'MISSING_PEER', r.stdout + r.stderr);
      assert.match(
        out.message,
        /herald\/nest needs @nestjs\/common: npm install @nestjs\/common @nestjs\/core/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
