import type { Redis } from 'ioredis';
import { HeraldError } from '../errors.js';

/** The ioredis constructor, as `import('ioredis')` exposes it. */
export type RedisConstructor = typeof Redis;

let loaded: Promise<RedisConstructor> | undefined;

/**
 * Loads `ioredis` on first use. It is an optional peer: only `herald/redis` needs it, so the core
 * never imports it and an app without Redis never installs it.
 *
 * @throws HeraldError `MISSING_PEER` when the package is not installed.
 */
export function loadIoredis(): Promise<RedisConstructor> {
  loaded ??= import('ioredis').then(
    (mod) => mod.Redis ?? (mod.default as unknown as RedisConstructor),
    (err: unknown) => {
      loaded = undefined;
      const code = (err as { code?: string }).code;
      if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
        throw new HeraldError('MISSING_PEER', 'herald/redis needs ioredis: npm install ioredis', {
          cause: err,
        });
      }
      throw err;
    },
  );
  return loaded;
}
