import { fileURLToPath } from 'node:url';
import { HeraldFactory, type HeraldApplication } from 'herald';
import { DEMO_METRICS } from './dashboard-controller.js';
import { DemoConfig, type DemoOptions } from './demo-config.js';
import { DemoModule } from './demo-module.js';

/**
 * The page's files, served from the source folder: tsc does not copy them, and this file runs
 * from `build/examples/demo/`.
 */
const PUBLIC_DIR = fileURLToPath(new URL('../../../examples/demo/public/', import.meta.url));
/**
 * herald's built files, for the page's herald/client panel: the browser loads `dist/client/*.js`
 * as plain ESM, and they import `../errors.js` (so `dist/` is served, not only `dist/client/`).
 */
const HERALD_DIST_DIR = fileURLToPath(new URL('../../../dist/', import.meta.url));
/** eventsource-parser's ESM build, which the page's import map names for `eventsource-parser`. */
const PARSER_DIST_DIR = fileURLToPath(new URL('.', import.meta.resolve('eventsource-parser')));

/**
 * Creates the demo app, serves the page at `/` (and herald/client with its parser for it) and listens.
 *
 * @example
 * const app = await startDemo({ port: 0, tickMs: 100 });
 * console.log(app.getUrl());
 */
export async function startDemo(options: DemoOptions = {}): Promise<HeraldApplication> {
  const app = await HeraldFactory.create(DemoModule.forRoot(new DemoConfig(options)), {
    ...(options.log === false ? { logger: false as const } : {}),
    ...(options.tls === undefined ? {} : { https: options.tls, http2: true }),
  });
  // `/metrics` for Prometheus (or curl), and the same registry feeds the page's dashboard.
  app.enableMetrics({ path: '/metrics', registry: app.get(DEMO_METRICS) });
  app.useStaticAssets(PUBLIC_DIR);
  app.useStaticAssets(HERALD_DIST_DIR, { prefix: '/herald' });
  app.useStaticAssets(PARSER_DIST_DIR, { prefix: '/vendor/eventsource-parser' });
  await app.listen(options.port ?? 3000, options.host);
  return app;
}
