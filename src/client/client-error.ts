import { HeraldError, type HeraldErrorCode } from '../errors.js';

/** The codes a {@link HeraldClientError} can carry (documented in `src/errors.ts`). */
export type HeraldClientErrorCode = Extract<
  HeraldErrorCode,
  'HTTP_STATUS' | 'CONTENT_TYPE' | 'ABORTED' | 'NETWORK' | 'INVALID_JSON' | 'MISSING_PEER'
>;

/** What a client error knows beyond its code and message. */
export interface HeraldClientErrorInit {
  /** The HTTP status, for `HTTP_STATUS`. */
  status?: number | undefined;
  /** True when the stream closed because of this error; false when it reconnects (or skipped an event). */
  fatal: boolean;
  /** Milliseconds until the next attempt, when the client reconnects. */
  retryIn?: number | undefined;
  cause?: unknown;
}

/**
 * An error reported by a `herald/client` stream, to `onError` listeners and (when fatal) to async
 * iterators and Observable subscribers. It is a `HeraldError`, so `isHeraldError(err, 'HTTP_STATUS')`
 * works on it.
 */
export class HeraldClientError extends HeraldError {
  declare readonly code: HeraldClientErrorCode;
  /** The HTTP status, for `HTTP_STATUS`. */
  readonly status: number | undefined;
  /** True when the stream closed because of this error. */
  readonly fatal: boolean;
  /** Milliseconds until the next attempt when the client reconnects; `undefined` when fatal. */
  readonly retryIn: number | undefined;

  constructor(code: HeraldClientErrorCode, message: string, init: HeraldClientErrorInit) {
    super(code, message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'HeraldClientError';
    this.status = init.status;
    this.fatal = init.fatal;
    this.retryIn = init.retryIn;
  }
}
