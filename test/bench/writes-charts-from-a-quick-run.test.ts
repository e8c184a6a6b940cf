import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { short } from '../../bench/charts/svg-bars.js';

describe('npm run bench -- --quick', () => {
  const out = mkdtempSync(join(tmpdir(), 'herald-bench-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('writes SVG charts of deliveries/s with the floor, latency percentiles and memory next to its JSON', () => {
    const run = spawnSync(
      process.execPath,
      [
        'build/bench/run.js',
        '--quick',
        '--peers',
        'raw-net,herald',
        '--scenario',
        'throughput,latency,memory',
        '--memory',
        '200',
        '--out',
        out,
      ],
      { encoding: 'utf8', timeout: 110_000 },
    );
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const files = readdirSync(out);
    const json = files.find((f) => f.endsWith('.json'))!;
    const stem = json.slice(0, -'.json'.length);
    for (const chart of ['deliveries', 'latency', 'memory']) {
      assert.ok(files.includes(`${stem}-${chart}.svg`), `${chart} chart next to ${json}`);
    }
    const svg = (name: string): string => readFileSync(join(out, `${stem}-${name}.svg`), 'utf8');
    const bars = (text: string): number => text.match(/<rect class="bar"/g)?.length ?? 0;
    const results = JSON.parse(readFileSync(join(out, json), 'utf8')).results;
    const herald = results.find((r: { id: string }) => r.id === 'herald');
    // One bar per peer, the floor marked, and Herald's bar as long as its measured rate says.
    const deliveries = svg('deliveries');
    assert.equal(bars(deliveries), 2);
    assert.match(deliveries, /class="reference"[\s\S]*floor /);
    const rate = herald.throughput[0].deliveriesPerSec as number;
    assert.match(deliveries, new RegExp(`Herald @Sse \\+ Hub: ${short(rate)}/s`));
    // p50, p99 and max for each peer; one memory bar per peer at the one level measured.
    assert.equal(bars(svg('latency')), 6);
    assert.equal(bars(svg('memory')), 2);
    for (const text of [deliveries, svg('latency'), svg('memory')]) {
      assert.match(text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.match(text, /<\/svg>\n$/);
    }
  });
});
