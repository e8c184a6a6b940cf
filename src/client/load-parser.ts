import type { createParser } from 'eventsource-parser';
import { HeraldClientError } from './client-error.js';

/** `eventsource-parser`'s factory. */
export type CreateParser = typeof createParser;

let loading: Promise<CreateParser> | undefined;

/**
 * Loads `eventsource-parser`, an optional peer of herald that only the client needs. It is imported
 * on first use, not at module load, so a missing package fails the stream with a `MISSING_PEER`
 * error that says what to install instead of breaking every import of `herald/client`.
 */
export function loadParser(): Promise<CreateParser> {
  loading ??= import('eventsource-parser').then(
    (module) => module.createParser,
    (cause: unknown) => {
      loading = undefined;
      throw new HeraldClientError(
        'MISSING_PEER',
        "herald/client needs the 'eventsource-parser' package: npm install eventsource-parser",
        { fatal: true, cause },
      );
    },
  );
  return loading;
}
