import type { H2Result } from './runner/h2-scenario.js';
import { fmtRate } from './runner/run-peer.js';

/**
 * The HTTP/2 scenario's table, and the issue's two ratios: Herald over HTTP/2 against NestJS on
 * Fastify (deliveries/s), and Herald's server CPU per delivery over HTTP/2 against HTTPS/1.1.
 */
export function h2Markdown(results: readonly H2Result[]): string {
  const ran = results.find((r) => r.skipped === undefined);
  const lines = [
    `HTTP/2 scenario: ${ran?.streams ?? '?'} streams x ${ran?.events ?? '?'} events over TLS`,
    '',
    '| peer | TLS connections | deliveries/s | delivered | server CPU µs/delivery | server cores | load cores |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    if (r.skipped !== undefined) {
      lines.push(`| ${r.label} | skipped: ${r.skipped} | - | - | - | - | - |`);
      continue;
    }
    lines.push(
      `| ${[
        r.label,
        String(r.sessions),
        fmtRate(r.deliveriesPerSec),
        `${(r.delivered * 100).toFixed(0)}% in ${r.seconds.toFixed(1)} s`,
        r.serverCpuUsPerDelivery.toFixed(2),
        r.serverCores.toFixed(2),
        r.loadCores.toFixed(2),
      ].join(' | ')} |`,
    );
  }
  const get = (id: string) => results.find((r) => r.id === id && r.skipped === undefined);
  const [h2, h1, nest] = [get('herald-h2'), get('herald-https1'), get('nest-fastify-h2')];
  if (h2 && nest) {
    lines.push(
      '',
      `Herald HTTP/2 / NestJS-Fastify HTTP/2 deliveries/s: ${(h2.deliveriesPerSec / nest.deliveriesPerSec).toFixed(1)} x (target >= 10)`,
    );
  }
  if (h2 && h1) {
    lines.push(
      `Herald server CPU per delivery, HTTP/2 / HTTPS/1.1: ${(h2.serverCpuUsPerDelivery / h1.serverCpuUsPerDelivery).toFixed(2)} x (target <= 2)`,
    );
  }
  return lines.join('\n');
}
