import { STATUS_CODES } from 'node:http';

/** The JSON body of an error response (`{ statusCode, message, error }`, as NestJS answers). */
export interface ErrorBody {
  statusCode: number;
  message: string | string[];
  error?: string;
  [key: string]: unknown;
}

/**
 * An error that answers with a given HTTP status and JSON body. A string `response` becomes
 * `{ statusCode, message, error }` (`error` is the status text); an object is sent as is, so a caller
 * controls the whole body. On an `@Sse` route after the first byte, its status and message go into the
 * `event: error` frame instead.
 *
 * @example
 * throw new HttpException('Topic is closed', 410);
 * throw new HttpException({ statusCode: 409, message: 'Taken', error: 'Conflict', field: 'email' }, 409);
 */
export class HttpException extends Error {
  readonly #response: string | object;
  readonly #status: number;

  constructor(response: string | object, status: number, options?: { cause?: unknown }) {
    super(messageOf(response), options);
    this.name = new.target.name;
    this.#response = response;
    this.#status = status;
  }

  /** The HTTP status code. */
  getStatus(): number {
    return this.#status;
  }

  /** What was passed to the constructor. */
  getResponse(): string | object {
    return this.#response;
  }

  /** The JSON body sent for this exception. */
  getBody(): ErrorBody {
    const r = this.#response;
    if (typeof r === 'object' && r !== null) return { statusCode: this.#status, ...r } as ErrorBody;
    return { statusCode: this.#status, message: r, error: statusText(this.#status) };
  }
}

/** The reason phrase of a status (`404` -> `'Not Found'`). */
export function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

function messageOf(response: string | object): string {
  if (typeof response === 'string') return response;
  const m = (response as { message?: unknown }).message;
  if (typeof m === 'string') return m;
  if (Array.isArray(m)) return m.join('; ');
  return 'Http Exception';
}
