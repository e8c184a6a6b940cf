import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * `node build/bench/profile-top.js <file.cpuprofile | dir>... [--top N]`: the functions with the
 * most self time in V8 CPU profiles (`node --cpu-prof`, or `bench --profile`), summed over every
 * profile given (a folder means each `.cpuprofile` in it). Self time is the sampling interval
 * of every sample whose top frame is that function, keyed by name, file and line.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '15' } },
});
const files = positionals.flatMap((path) =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((name) => name.endsWith('.cpuprofile'))
        .map((name) => join(path, name))
    : [path],
);
if (files.length === 0) {
  console.error('usage: node build/bench/profile-top.js <file.cpuprofile | dir>... [--top N]');
  process.exit(1);
}

const selfUs = new Map<string, number>();
let totalUs = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const keyOf = new Map<number, string>();
  for (const { id, callFrame: f } of profile.nodes) {
    const where = f.url === '' ? '' : ` ${shorten(f.url)}:${f.lineNumber + 1}`;
    keyOf.set(id, `${f.functionName || '(anonymous)'}${where}`);
  }
  profile.samples.forEach((id, i) => {
    // timeDeltas[i] is the time since the previous sample: the time this sample stands for.
    const us = Math.max(0, profile.timeDeltas[i] ?? 0);
    const key = keyOf.get(id) ?? '(unknown)';
    selfUs.set(key, (selfUs.get(key) ?? 0) + us);
    totalUs += us;
  });
}

// "busy" leaves out the time the process was waiting for I/O, so shares read as shares of work.
const busyUs = totalUs - (selfUs.get('(idle)') ?? 0);
const top = [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
console.log(
  `${files.length} profile(s), ${(totalUs / 1000).toFixed(0)} ms sampled, ${(busyUs / 1000).toFixed(0)} ms busy`,
);
console.log('  self ms   % all  % busy  function');
for (const [key, us] of top) {
  const msText = (us / 1000).toFixed(1).padStart(9);
  const all = `${((us / totalUs) * 100).toFixed(1)}%`.padStart(7);
  const busy = (key === '(idle)' ? '-' : `${((us / busyUs) * 100).toFixed(1)}%`).padStart(7);
  console.log(`${msText}  ${all}  ${busy}  ${key}`);
}

/** A file URL or path, relative to the working directory when under it (node internals kept). */
function shorten(url: string): string {
  if (!url.startsWith('file://')) return url;
  const path = relative(process.cwd(), new URL(url).pathname);
  return path.startsWith('..') ? new URL(url).pathname : path;
}
