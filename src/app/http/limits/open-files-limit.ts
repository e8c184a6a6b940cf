import { readFileSync } from 'node:fs';

/** Assumed when the limit cannot be read (not Linux): a common server `ulimit -n`. */
const FALLBACK_OPEN_FILES = 10_240;

/**
 * The process's soft limit on open file descriptors (`ulimit -n`), read from `/proc/self/limits`
 * on Linux (Node has no API for it); {@link FALLBACK_OPEN_FILES} elsewhere or if unreadable.
 */
export function openFilesLimit(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
    if (soft === 'unlimited') return Number.MAX_SAFE_INTEGER;
    if (soft !== undefined) return Number(soft);
  } catch {
    // Not Linux, or /proc not mounted: fall through.
  }
  return FALLBACK_OPEN_FILES;
}

/**
 * Default cap on open event streams: the fd limit minus headroom (10%, at least 256) for what else
 * the process opens (requests that are not streams, Redis, files, the listening socket), so a flood
 * is answered 503 instead of failing `accept()` with EMFILE for everyone.
 */
export function defaultMaxStreams(fdLimit = openFilesLimit()): number {
  return Math.max(16, fdLimit - Math.max(256, Math.ceil(fdLimit / 10)));
}
