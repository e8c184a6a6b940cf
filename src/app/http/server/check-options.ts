import { HeraldError } from '../../../errors.js';
import type { ValidationOptions } from '../routing/validation.js';
import { NESTED, NOT_SUPPORTED, TOP } from './known-options.js';

/**
 * Refuses options `HeraldFactory.create()` does not know, at the top level and inside its option
 * objects, naming the key and the likely intended one: a typo must never be silently ignored.
 */
export function checkOptions(options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(`HeraldFactory.create() options must be an object, got ${describe(options)}`);
  }
  checkKeys(options, TOP, '');
  const o = options as Record<string, unknown>;
  for (const [name, known] of Object.entries(NESTED)) {
    const value = o[name];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      checkKeys(value, known, `${name}.`);
    }
  }
  const logger = o.logger;
  if (logger !== undefined && logger !== false && !isLogger(logger)) {
    throw invalid(
      `logger must be false or an object with log, error and warn methods, got ${describe(logger)}` +
        (Array.isArray(logger) ? " (NestJS's log-level arrays are not supported)" : ''),
    );
  }
  const v = o.validation as ValidationOptions | undefined;
  if (v?.forbidNonWhitelisted && !v.whitelist) {
    throw invalid('validation.forbidNonWhitelisted works with whitelist: true only (set both)');
  }
}

function checkKeys(value: object, known: Record<string, true>, path: string): void {
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(known, key)) continue;
    const hint = NOT_SUPPORTED[key] ?? closest(key, Object.keys(known));
    throw invalid(`Unknown option ${path}${key}${hint ? `: ${hint}` : ''}`);
  }
}

function closest(key: string, known: string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 4)) + 1;
  for (const k of known) {
    const d = norm(k) === norm(key) ? 0 : distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best === undefined ? undefined : `did you mean ${best}?`;
}

/** Levenshtein distance (the keys are short: the quadratic table costs nothing). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = row;
  }
  return prev[b.length]!;
}

function isLogger(value: unknown): boolean {
  const l = value as Record<string, unknown>;
  return (
    typeof value === 'object' &&
    value !== null &&
    ['log', 'error', 'warn'].every((m) => typeof l[m] === 'function')
  );
}

const describe = (v: unknown) => (Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v);
const invalid = (message: string) => new HeraldError('INVALID_MODULE', message);
