import type { createParser } from 'eventsource-parser';
import { HeraldError } from '../errors.js';

/** `eventsource-parser`'s factory. */
export type CreateParser = typeof createParser;

/**
 * Loads `eventsource-parser`, an optional peer that only `herald/client` and `herald/testing`
 * need, on first use: a missing package then fails `sse()` with a `MISSING_PEER` error that says
 * what to install instead of breaking the import of `herald/testing`.
 */
export async function loadParser(): Promise<CreateParser> {
  try {
    return (await import('eventsource-parser')).createParser;
  } catch (cause) {
    throw new HeraldError(
      'MISSING_PEER',
      "herald/testing needs the 'eventsource-parser' package: npm install -D eventsource-parser",
      { cause },
    );
  }
}
