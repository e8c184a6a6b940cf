import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { unpackInto } from './support/packed.js';

// The decorator framework's dependencies: none may load for `herald/hub`, `herald/sse` or `herald/fetch`.
const FRAMEWORK = [
  'class-validator',
  'class-transformer',
  'libphonenumber-js',
  'find-my-way',
  'cors',
  'sirv',
  'eventemitter2',
  'reflect-metadata',
  'rxjs',
];

interface Probe {
  names: string[];
  urls: string[];
  ms: number;
  rss: number;
}

describe('entry points of the packed package', () => {
  const packed = unpackInto('entries');
  after(() => packed.cleanup());

  // A resolve hook (in the loader thread) reports every module URL the import resolves to.
  writeFileSync(
    join(packed.dir, 'hooks.mjs'),
    `export async function resolve(s, c, next) {
  const r = await next(s, c);
  process.stderr.write('URL ' + r.url + '\\n');
  return r;
}
`,
  );
  writeFileSync(
    join(packed.dir, 'probe.mjs'),
    `import { register } from 'node:module';
register('./hooks.mjs', import.meta.url);
const t = performance.now();
const m = await import(process.argv[2]);
const ms = performance.now() - t;
console.log(JSON.stringify({ names: Object.keys(m), ms, rss: process.memoryUsage().rss }));
`,
  );

  function probe(entry: string): Probe {
    const r = spawnSync(process.execPath, ['probe.mjs', entry], {
      cwd: packed.dir,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const urls = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('URL '))
      .map((l) => l.slice(4));
    return { ...(JSON.parse(r.stdout) as Omit<Probe, 'urls'>), urls };
  }

  const report = (entry: string, p: Probe) =>
    console.log(
      `# ${entry}: ${p.names.length} exports, ${p.ms.toFixed(0)} ms to import, rss ${(p.rss / 2 ** 20).toFixed(0)} MiB`,
    );

  for (const entry of ['herald/hub', 'herald/sse', 'herald/fetch']) {
    it(`${entry} loads none of the framework's dependencies`, () => {
      const p = probe(entry);
      assert.ok(
        p.urls.some((u) => u.includes('/node_modules/herald/dist/')),
        'the package itself loaded',
      );
      const loaded = FRAMEWORK.filter((dep) =>
        p.urls.some((u) => u.includes(`/node_modules/${dep}/`)),
      );
      assert.deepEqual(loaded, []);
      assert.ok(
        !p.urls.some((u) => u.includes('/dist/app/')),
        'nothing of the decorator framework',
      );
      report(entry, p);
    });
  }

  it('herald is the framework and exports no internals', () => {
    const p = probe('herald');
    for (const dep of ['class-validator', 'find-my-way', 'reflect-metadata']) {
      assert.ok(
        p.urls.some((u) => u.includes(`/node_modules/${dep}/`)),
        `${dep} loads for herald`,
      );
    }
    for (const internal of [
      'heartbeatTimerCount',
      'ATTACH_FRAMES',
      'startProducer',
      'sourceKind',
      'isFrameSource',
      'serializeComment',
      'serializeEvent',
      'tokenName',
      'Container',
      'Frame',
      'createEventStreamParser',
    ]) {
      assert.ok(!p.names.includes(internal), `${internal} is not exported`);
    }
    for (const name of ['HeraldFactory', 'Sse', 'Hub', 'HubModule', 'SseServer', 'HeraldError']) {
      assert.ok(p.names.includes(name), `${name} is exported`);
    }
    report('herald', p);
  });

  it('the type declarations carry no @internal member', () => {
    const dist = join(packed.dir, 'node_modules', 'herald', 'dist');
    const marked: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.d.ts') && readFileSync(path, 'utf8').includes('@internal'))
          marked.push(path.slice(dist.length + 1));
      }
    };
    walk(dist);
    assert.deepEqual(marked, []);
  });
});
