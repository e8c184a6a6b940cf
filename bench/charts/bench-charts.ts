import type { BenchOptions } from '../options.js';
import { FLOOR } from '../peers.js';
import type { Failed, PeerResult } from '../runner/run-peer.js';
import { type BarChart, barChartSvg, short } from './svg-bars.js';

const ok = <T>(r: T | Failed | undefined): T | undefined =>
  r === undefined || (typeof r === 'object' && r !== null && 'error' in r) ? undefined : (r as T);
// Backticks mark code in the markdown labels; a chart shows the plain name.
const label = (peer: PeerResult): string => peer.label.replace(/`/g, '');

/**
 * The run's charts as SVG documents by file suffix: deliveries/s per peer with the floor marked,
 * latency percentiles per peer, idle memory per connection. A scenario that did not run has none.
 */
export function benchCharts(results: PeerResult[], options: BenchOptions): Record<string, string> {
  const ran = results.filter((r) => r.skipped === undefined);
  const charts: Record<string, string> = {};
  const [first] = options.throughput;
  if (options.scenarios.includes('throughput') && first !== undefined) {
    const floor = ok(ran.find((r) => r.id === FLOOR)?.throughput[0]);
    const chart: BarChart = {
      title: `Deliveries per second, ${first[0].toLocaleString('en-US')} clients x ${first[1].toLocaleString('en-US')} events (higher is better)`,
      unit: '/s',
      series: ['deliveries/s'],
      rows: ran.map((peer) => ({
        label: label(peer),
        values: [ok(peer.throughput[0])?.deliveriesPerSec],
      })),
    };
    if (floor !== undefined) {
      chart.reference = {
        value: floor.deliveriesPerSec,
        label: `floor ${short(floor.deliveriesPerSec)}/s`,
      };
    }
    charts.deliveries = barChartSvg(chart);
  }
  if (options.scenarios.includes('latency')) {
    const { clients, rate } = options.latency;
    charts.latency = barChartSvg({
      title: `Publish-to-receive latency, ${clients.toLocaleString('en-US')} clients at ${rate}/s (lower is better, log scale)`,
      unit: ' ms',
      series: ['p50', 'p99', 'max'],
      log: { min: 0.1 },
      rows: ran.map((peer) => {
        const l = ok(peer.latency);
        return { label: label(peer), values: [l?.p50, l?.p99, l?.max] };
      }),
    });
  }
  if (options.scenarios.includes('memory')) {
    charts.memory = barChartSvg({
      title: 'Idle memory per connection, RSS (lower is better)',
      unit: ' KB',
      series: options.memory.map((n) => `${n.toLocaleString('en-US')} connections`),
      rows: ran.map((peer) => {
        const points = ok(peer.memory) ?? [];
        return {
          label: label(peer),
          values: options.memory.map((n) => {
            const p = points.find((m) => m.connections === n);
            return p === undefined ? undefined : p.rssPerConnection / 1024;
          }),
        };
      }),
    });
  }
  return charts;
}
