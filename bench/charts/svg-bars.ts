/** One row of a bar chart: a label and one value per series (undefined: nothing to draw). */
export interface BarRow {
  label: string;
  values: (number | undefined)[];
}

/** A horizontal bar chart, drawn by hand as SVG: no dependency, readable on GitHub. */
export interface BarChart {
  title: string;
  /** Unit shown after each value, e.g. `/s` or ` ms`. */
  unit: string;
  series: string[];
  rows: BarRow[];
  /** A vertical reference line (e.g. the floor's rate), labelled. */
  reference?: { value: number; label: string };
  /** Log scale (for latencies spanning decades); values below `min` are drawn at `min`. */
  log?: { min: number };
}

const COLORS = ['#3554d1', '#d97706', '#b91c1c', '#16803c'];
const LABEL_W = 420;
const BAR_W = 360;
const BAR_H = 14;
const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, '');

/** Short numbers: 1.23M, 456k, 7.8, 0.44. */
export function short(v: number): string {
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (v >= 100) return v.toFixed(0);
  return v.toFixed(v >= 10 ? 1 : 2);
}

/** The chart as an SVG document. */
export function barChartSvg(chart: BarChart): string {
  const all = chart.rows.flatMap((r) => r.values.filter((v): v is number => v !== undefined));
  const max = Math.max(chart.reference?.value ?? 0, ...all, 1e-9);
  const log = chart.log;
  const x = (v: number): number =>
    log === undefined
      ? (v / max) * BAR_W
      : (Math.log10(Math.max(v, log.min) / log.min) / Math.log10(max / log.min || 10)) * BAR_W;
  const group = chart.series.length * (BAR_H + 2) + 10;
  const top = 44;
  const height = top + chart.rows.length * group + 20;
  const width = LABEL_W + BAR_W + 90;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    // The chart's accessible name, for screen readers and image viewers.
    `<title>${esc(chart.title)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="8" y="18" font-size="14" font-weight="600">${esc(chart.title)}</text>`,
  ];
  chart.series.forEach((name, i) => {
    const lx = 8 + i * 120;
    out.push(
      `<rect x="${lx}" y="28" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/>`,
      `<text x="${lx + 14}" y="37">${esc(name)}</text>`,
    );
  });
  chart.rows.forEach((row, r) => {
    const y0 = top + r * group;
    out.push(
      `<text x="${LABEL_W - 6}" y="${y0 + group / 2}" text-anchor="end">${esc(row.label)}</text>`,
    );
    row.values.forEach((v, i) => {
      if (v === undefined) return;
      const y = y0 + i * (BAR_H + 2);
      const w = Math.max(1, x(v));
      out.push(
        `<rect class="bar" x="${LABEL_W}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${COLORS[i % COLORS.length]}"><title>${esc(`${row.label}: ${short(v)}${chart.unit}`)}</title></rect>`,
        `<text x="${(LABEL_W + w + 4).toFixed(1)}" y="${y + BAR_H - 3}">${short(v)}${esc(chart.unit)}</text>`,
      );
    });
  });
  if (chart.reference !== undefined) {
    const rx = (LABEL_W + x(chart.reference.value)).toFixed(1);
    out.push(
      `<line class="reference" x1="${rx}" y1="${top - 4}" x2="${rx}" y2="${height - 14}" stroke="#111" stroke-dasharray="4 3"/>`,
      `<text x="${rx}" y="${height - 3}" text-anchor="middle">${esc(chart.reference.label)}</text>`,
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
