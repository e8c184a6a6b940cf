// The live dashboard: one EventSource on /dashboard, a sample of the server's own Prometheus
// metrics every second, drawn as hand-made SVG lines (no chart library: four polylines).
const POINTS = 60;
const W = 240;
const H = 60;

/** Each chart: its series, each computed from two consecutive samples (totals become rates). */
const CHARTS = {
  open: [(s) => s.open],
  deliveries: [(s, p, dt) => (s.delivered - p.delivered) / dt],
  resumes: [(s, p) => s.replayed - p.replayed, (s, p) => s.gaps - p.gaps],
  lag: [
    (s, p) =>
      s.lagCount > p.lagCount ? ((s.lagSum - p.lagSum) / (s.lagCount - p.lagCount)) * 1000 : null,
  ],
};
const FORMAT = {
  open: (v) => String(v),
  deliveries: (v) => `${v.toFixed(1)}/s`,
  resumes: (_last, all) => `${all[0]} replayed · ${all[1]} gaps`,
  lag: (v) => (v === null ? '–' : `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms`),
};
const history = Object.fromEntries(
  Object.entries(CHARTS).map(([name, series]) => [name, series.map(() => [])]),
);

/** Redraws one chart: every series scaled to the largest value shown (at least 1). */
function draw(name) {
  const figure = document.querySelector(`[data-chart="${name}"]`);
  const all = history[name];
  const values = all.flat().filter((v) => v !== null);
  const max = Math.max(1, ...values);
  all.forEach((series, i) => {
    const step = W / (POINTS - 1);
    const offset = (POINTS - series.length) * step;
    const points = series
      .map((v, x) =>
        v === null
          ? null
          : `${(offset + x * step).toFixed(1)},${(H - 2 - (v / max) * (H - 6)).toFixed(1)}`,
      )
      .filter((p) => p !== null)
      .join(' ');
    figure.querySelectorAll('polyline')[i].setAttribute('points', points);
  });
  const last = all.map((series) => series.at(-1) ?? 0);
  figure.querySelector('[data-value]').textContent = FORMAT[name](last[0], last);
  figure.querySelector('[data-max]').textContent = `max ${Math.round(max * 100) / 100}`;
}

let previous = null;
const es = new EventSource('/dashboard');
es.onmessage = (e) => {
  const sample = JSON.parse(e.data);
  if (previous !== null) {
    const dt = Math.max(0.001, (sample.at - previous.at) / 1000);
    for (const [name, series] of Object.entries(CHARTS)) {
      series.forEach((fn, i) => {
        const line = history[name][i];
        line.push(fn(sample, previous, dt));
        if (line.length > POINTS) line.shift();
      });
      draw(name);
    }
  }
  previous = sample;
};
