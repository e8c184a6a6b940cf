import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { catchError, mergeMap, type Observable, throwError } from 'rxjs';
import type { SseStreamOptions } from '../connection/sse-options.js';
import { unbox } from './handler-result.js';
import { fallbackOpener, HeraldStreams, type StreamOpener } from './herald-streams.js';
import { common } from './nest-peers.js';
import { toRefusal } from './nest-errors.js';
import {
  answerNoContent,
  handOver,
  type PlatformRequest,
  type PlatformResponse,
  rawRequest,
  rawResponseWithHeaders,
  setAnswerHeader,
} from './platform-response.js';

/** Metadata key of a `herald/nest` `@Sse` route's stream options (on the handler). */
export const HERALD_SSE_ROUTE = 'herald:nest:sse-route';

/**
 * Hands a `herald/nest` `@Sse` route's value to Herald's engine, on the raw request and response.
 * It runs innermost, after guards and pipes (a 403 or 400 answers as JSON, no stream started),
 * and after any global interceptor has subscribed; what it emits once the stream is open goes
 * nowhere, since the route tells Nest the response is handled.
 */
@common.Injectable()
export class HeraldSseInterceptor implements NestInterceptor {
  readonly #streams: StreamOpener;

  constructor(@common.Optional() @common.Inject(HeraldStreams) streams?: HeraldStreams) {
    this.#streams = streams ?? fallbackOpener();
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<PlatformRequest>();
    const res = http.getResponse<PlatformResponse>();
    const options: SseStreamOptions = Reflect.getMetadata(HERALD_SSE_ROUTE, context.getHandler());
    return next.handle().pipe(
      mergeMap((value) => this.#open(req, res, value, options)),
      catchError((err: unknown) => {
        const { exception, retryAfter } = toRefusal(err);
        if (retryAfter !== undefined) setAnswerHeader(res, 'Retry-After', String(retryAfter));
        return throwError(() => exception);
      }),
    );
  }

  async #open(
    req: PlatformRequest,
    res: PlatformResponse,
    value: unknown,
    options: SseStreamOptions,
  ): Promise<void> {
    let source: unknown;
    try {
      source = await unbox(value);
    } catch (err) {
      // An async handler that rejects (`RUN_EXISTS` from `runs.start`, `RUN_NOT_FOUND`).
      this.#streams.refused?.('handler', err);
      throw err;
    }
    if (source === null || source === undefined) {
      answerNoContent(res);
      return;
    }
    try {
      // Awaited: a hub subscription with an authorize hook may still be refused, before any byte.
      await this.#streams.open(rawRequest(req), rawResponseWithHeaders(res), source, options);
    } catch (err) {
      // Stream caps, hub refusals, a source that is not one: named by the error.
      this.#streams.refused?.('open', err);
      throw err;
    }
    handOver(res);
  }
}
