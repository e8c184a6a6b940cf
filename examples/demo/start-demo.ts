import { fileURLToPath } from 'node:url';
import { HeraldFactory, type HeraldApplication } from 'herald';
import { DemoConfig, type DemoOptions } from './demo-config.js';
import { DemoModule } from './demo-module.js';

/**
 * The page's files, served from the source folder: tsc does not copy them, and this file runs
 * from `build/examples/demo/`.
 */
const PUBLIC_DIR = fileURLToPath(new URL('../../../examples/demo/public/', import.meta.url));

/**
 * Creates the demo app, serves the page at `/` and listens.
 *
 * @example
 * const app = await startDemo({ port: 0, tickMs: 100 });
 * console.log(app.getUrl());
 */
export async function startDemo(options: DemoOptions = {}): Promise<HeraldApplication> {
  const app = await HeraldFactory.create(DemoModule.forRoot(new DemoConfig(options)), {
    ...(options.log === false ? { logger: false as const } : {}),
  });
  app.useStaticAssets(PUBLIC_DIR);
  await app.listen(options.port ?? 3000, options.host);
  return app;
}
