import type { Redis } from 'ioredis';

/** Resolves true once `conn` is ready, false after `timeoutMs` or when it ended for good. */
export function whenReady(conn: Redis, timeoutMs: number): Promise<boolean> {
  if (conn.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      conn.off('ready', onReady);
      conn.off('end', onEnd);
      resolve(ok);
    };
    const onReady = () => done(true);
    const onEnd = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    conn.on('ready', onReady);
    conn.on('end', onEnd);
  });
}
