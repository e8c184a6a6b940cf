import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchCharts } from './charts/bench-charts.js';
import { parseOptions } from './options.js';
import { PEERS } from './peers.js';
import { h2Markdown } from './h2-report.js';
import { markdown } from './report.js';
import { type H2Result, runH2Scenario } from './runner/h2-scenario.js';
import { type PeerResult, runPeer } from './runner/run-peer.js';

/**
 * `npm run bench -- [options]`: runs each chosen peer's server in turn against the load generator,
 * prints a markdown table and writes the results (JSON, markdown and SVG charts) to `.bench-results/`.
 */
const options = parseOptions(process.argv.slice(2));
const started = Date.now();
const deadline = started + options.budgetMs;
// Every run stops by itself: past the budget plus the longest case, give up outright.
setTimeout(
  () => {
    console.error('bench: hard time limit reached, exiting');
    process.exit(2);
  },
  options.budgetMs + options.timeoutMs + 5 * 60_000,
).unref();

const unknown = (options.peers ?? []).filter((id) => !PEERS.some((p) => p.id === id));
if (unknown.length > 0) {
  console.error(
    `unknown peer(s): ${unknown.join(', ')}; known: ${PEERS.map((p) => p.id).join(', ')}`,
  );
  process.exit(1);
}
const chosen = PEERS.filter((p) => options.peers === undefined || options.peers.includes(p.id));
const results: PeerResult[] = [];
// The HTTP/2 scenario has rows of its own (below): alone, no peer runs the other scenarios.
const plain = options.scenarios.some((s) => s !== 'http2');
for (const peer of plain ? chosen : []) {
  // Other work on the machine skews a run: the 1-minute load average is logged with each peer.
  const load = loadavg()[0]!;
  console.log(`${peer.id}: (load average ${load.toFixed(2)})`);
  const result = await runPeer(peer, options, deadline, (line) => console.log(line));
  result.loadAverage = load;
  if (result.skipped !== undefined) console.log(`  skipped: ${result.skipped}`);
  results.push(result);
}

let http2: H2Result[] = [];
if (options.scenarios.includes('http2')) {
  console.log(`http2: (load average ${loadavg()[0]!.toFixed(2)})`);
  http2 = await runH2Scenario(
    { ...options.http2, size: options.size, batch: options.batch, timeoutMs: options.timeoutMs },
    options.peers,
    (line) => console.log(line),
  );
}

const git = (...args: string[]): string => {
  try {
    return execFileSync('git', args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};
const table = `${plain ? markdown(results, options) : ''}${http2.length > 0 ? `\n\n${h2Markdown(http2)}` : ''}`;
const date = new Date().toISOString();
const meta = {
  date,
  commit: git('rev-parse', '--short', 'HEAD'),
  dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
  node: process.version,
  cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
  memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
  minutes: (Date.now() - started) / 60_000,
};
console.log(`\n${table}\n`);
console.log(
  `${meta.date}, commit ${meta.commit}${meta.dirty ? ' (with local changes)' : ''}, Node ${meta.node}, ${meta.cpu}`,
);
mkdirSync(options.out, { recursive: true });
const stem = join(options.out, date.replace(/[:.]/g, '-'));
writeFileSync(`${stem}.json`, `${JSON.stringify({ ...meta, options, results, http2 }, null, 2)}\n`);
writeFileSync(`${stem}.md`, `${table}\n`);
console.log(`results: ${stem}.json`);
for (const [name, svg] of Object.entries(benchCharts(results, options))) {
  writeFileSync(`${stem}-${name}.svg`, svg);
  console.log(`chart: ${stem}-${name}.svg`);
}
