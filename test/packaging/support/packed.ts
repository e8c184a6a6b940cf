import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Packs the package as `npm pack` would publish it (scripts off: the build already ran) and unpacks
 * it into `<dir>/node_modules/herald`, where `dir` sits inside the repository so that the package's
 * own dependencies resolve from the repository's node_modules, as they would from an app's.
 */
export function unpackInto(name: string): { dir: string; cleanup(): void } {
  const root = resolve('.');
  const work = join(root, 'build', 'packed');
  mkdirSync(work, { recursive: true });
  const dir = mkdtempSync(join(work, `${name}-`));
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  const target = join(dir, 'node_modules', 'herald');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', target, '--strip-components=1']);
  // A project of its own: without it, \`herald\` would resolve to the repository itself (a package
  // may import its own name), not to what was packed.
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `probe-${name}`, private: true, type: 'module' }),
  );
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
