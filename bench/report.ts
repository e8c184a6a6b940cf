import type { BenchOptions } from './options.js';
import { FLOOR } from './peers.js';
import { type Failed, fmtRate, type PeerResult } from './runner/run-peer.js';
import { cpuPerDelivery, type LatencyResult, type ThroughputResult } from './runner/scenarios.js';

const failed = (r: unknown): r is Failed => typeof r === 'object' && r !== null && 'error' in r;
const ms = (v: number): string =>
  Number.isFinite(v) ? (v < 10 ? v.toFixed(1) : v.toFixed(0)) : '-';
const thousands = (n: number): string => n.toLocaleString('en-US');

function throughputCells(
  r: ThroughputResult | Failed | undefined,
  floor: ThroughputResult | Failed | undefined,
): string[] {
  if (r === undefined) return ['-', '-'];
  if (failed(r)) return ['failed', '-'];
  const rate = fmtRate(r.deliveriesPerSec);
  const cell = r.complete
    ? rate
    : `${rate} (${(r.delivered * 100).toFixed(0)}% in ${r.seconds.toFixed(0)} s)`;
  const ratio =
    floor === undefined || failed(floor)
      ? '-'
      : (r.deliveriesPerSec / floor.deliveriesPerSec).toFixed(3);
  return [cell, ratio];
}

/** Server CPU µs per delivery: steadier than deliveries/s when other work shares the machine. */
function cpuCell(r: ThroughputResult | Failed | undefined): string {
  if (r === undefined || failed(r) || r.cpu === undefined) return '-';
  return cpuPerDelivery(r.cpu, r.delivered * r.clients * r.events).toFixed(2);
}

function latencyCells(l: LatencyResult | Failed | undefined): string[] {
  if (l === undefined || failed(l)) return [l === undefined ? '-' : 'failed', '-'];
  // Events never delivered are missing from the samples: the figures are then lower bounds.
  const atLeast = l.delivered < 1 ? '>= ' : '';
  return [
    `${atLeast}${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)}`,
    l.keptUp
      ? 'yes'
      : `no (${(l.delivered * 100).toFixed(0)}% by ${(l.finishedMs / 1000).toFixed(0)} s)`,
  ];
}

/** The results as one markdown table (one row per peer that ran), plus a line per skipped peer. */
export function markdown(results: PeerResult[], options: BenchOptions): string {
  const floor = results.find((r) => r.id === FLOOR && r.skipped === undefined);
  const ran = results.filter((r) => r.skipped === undefined);
  const head = ['peer'];
  for (const [i, [clients, events]] of options.throughput.entries()) {
    if (!options.scenarios.includes('throughput')) break;
    head.push(`deliveries/s, ${thousands(clients)} x ${thousands(events)}`, 'x floor');
    if (i === 0) head.push('server CPU µs/delivery');
  }
  const { clients, rate } = options.latency;
  if (options.scenarios.includes('latency')) {
    head.push(`p50 / p99 / max ms, ${thousands(clients)} clients @ ${rate}/s`, 'kept up');
  }
  if (options.scenarios.includes('memory')) {
    for (const level of options.memory) head.push(`idle KB/conn @ ${thousands(level)}`);
  }
  const rows = ran.map((peer) => {
    const cells = [peer.label];
    if (options.scenarios.includes('throughput')) {
      options.throughput.forEach((_, i) => {
        cells.push(...throughputCells(peer.throughput[i], floor?.throughput[i]));
        if (i === 0) cells.push(cpuCell(peer.throughput[i]));
      });
    }
    if (options.scenarios.includes('latency')) cells.push(...latencyCells(peer.latency));
    if (options.scenarios.includes('memory')) {
      const m = peer.memory;
      for (const level of options.memory) {
        const point =
          m === undefined || failed(m) ? undefined : m.find((p) => p.connections === level);
        cells.push(
          point === undefined
            ? failed(m)
              ? 'failed'
              : '-'
            : (point.rssPerConnection / 1024).toFixed(1),
        );
      }
    }
    return cells;
  });
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  // Only the Redis scenario chosen: its own table below is the whole report.
  const table = head.length > 1 ? [line(head), line(head.map(() => '---')), ...rows.map(line)] : [];
  for (const peer of results) {
    if (peer.skipped !== undefined) table.push('', `Skipped ${peer.id}: ${peer.skipped}`);
  }
  if (options.scenarios.includes('redis')) table.push(...redisTable(ran, options));
  return table.join('\n');
}

/** The cross-process cases, one row per peer that ran them (Herald), or the line saying why not. */
function redisTable(ran: PeerResult[], options: BenchOptions): string[] {
  const { clients, events, rate, seconds } = options.redis;
  const withRedis = ran.filter((peer) => peer.redis !== undefined);
  if (withRedis.length === 0) return [];
  const lines = [
    '',
    `Cross-process through Redis: 2 processes on one Redis log, the publisher on the first, ${thousands(clients)} clients split across both.`,
    '',
    `| peer | deliveries/s, ${thousands(clients)} x ${thousands(events)} | p50 / p99 / max ms @ ${thousands(rate)}/s for ${seconds} s | kept up |`,
    '| --- | --- | --- | --- |',
  ];
  for (const peer of withRedis) {
    const r = peer.redis!;
    if (r.reference !== undefined) {
      lines.push(
        `| ${[`${peer.label}, one process, no Redis (reference)`, '-', ...latencyCells(r.reference)].join(' | ')} |`,
      );
      continue;
    }
    if (r.skipped !== undefined) {
      lines.push(`| ${peer.label} | skipped: ${r.skipped} | - | - |`);
      continue;
    }
    const [rateCell] = throughputCells(r.throughput, undefined);
    lines.push(`| ${[peer.label, rateCell, ...latencyCells(r.latency)].join(' | ')} |`);
  }
  return lines;
}
