import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import { HeraldError } from '../errors.js';

/** prom-client's module, as `require('prom-client')` returns it. */
export type PromClientModule = typeof PromClient;

const require = createRequire(import.meta.url);
let loaded: PromClientModule | undefined;

/**
 * Loads `prom-client` on first use. It is an optional peer: only apps that enable metrics need it,
 * so nothing imports it at load time. `require`, not `import()`: prom-client is CommonJS, and a
 * synchronous load lets `app.enableMetrics()` stay synchronous like `enableCors()`, failing at the
 * call rather than at some later scrape.
 *
 * @throws HeraldError `MISSING_PEER` when the package is not installed.
 */
export function loadPromClient(): PromClientModule {
  if (loaded !== undefined) return loaded;
  try {
    loaded = require('prom-client') as PromClientModule;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new HeraldError(
        'MISSING_PEER',
        'herald metrics need prom-client: npm install prom-client',
        { cause: err },
      );
    }
    throw err;
  }
  return loaded;
}
