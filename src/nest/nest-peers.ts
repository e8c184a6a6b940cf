import { createRequire } from 'node:module';
import type * as NestCommon from '@nestjs/common';
import type * as NestCore from '@nestjs/core';
import { HeraldError } from '../errors.js';

const INSTALL = 'npm install @nestjs/common @nestjs/core (11 or 12)';

/**
 * Loads an optional peer synchronously. A static `import` of a missing package fails while Node
 * links the module graph, before any of our code runs, with an error that names neither Herald nor
 * the fix; a top-level `await import()` would make `herald/nest` impossible to `require()` from a
 * CommonJS NestJS 11 app. NestJS 12 is ESM: Node loads it through `require()` (Node 20.19+, 22.12+)
 * as the same module instance the app imports, which Nest's `instanceof` checks rely on.
 *
 * @throws HeraldError `MISSING_PEER` when the package is not installed or cannot be required.
 */
export function requirePeer<T>(name: string, from: string = import.meta.url): T {
  try {
    return createRequire(from)(name) as T;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes(name)) {
      throw new HeraldError('MISSING_PEER', `herald/nest needs ${name}: ${INSTALL}`, {
        cause: err,
      });
    }
    if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') {
      throw new HeraldError(
        'MISSING_PEER',
        `herald/nest could not load ${name} (an ES module) on Node ${process.versions.node}: use Node 20.19+ or 22.12+`,
        { cause: err },
      );
    }
    throw err;
  }
}

/** `@nestjs/common`, the app's own copy. */
export const common: typeof NestCommon = requirePeer('@nestjs/common');
/** `@nestjs/core`, checked with `@nestjs/common` so a half-installed Nest fails at import. */
export const core: typeof NestCore = requirePeer('@nestjs/core');
