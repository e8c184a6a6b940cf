// The `herald` peer with `app.enableMetrics()`: the same script, told to turn metrics on, so the
// two differ in nothing else.
process.env.BENCH_METRICS = '1';
await import('./herald.js');
