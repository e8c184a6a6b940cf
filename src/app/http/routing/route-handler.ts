import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SseStreamOptions } from '../../../connection/sse-options.js';
import { isHeraldError } from '../../../errors.js';
import { describeError, sendError } from '../errors/error-response.js';
import { ForbiddenException, PayloadTooLargeException } from '../errors/exceptions.js';
import { HttpException } from '../errors/http-exception.js';
import { createExecutionContext } from './execution-context.js';
import { type CanActivate, guardResult } from '../guards/guards.js';
import type { LoggerLike } from '../server/logger.js';
import { type ParamPlan, resolveParams } from './params.js';
import { sendResult } from './send-result.js';
import type { HeraldRequest } from './request.js';
import { readBody } from './read-body.js';
import type { ValidationOptions } from './validation.js';
import type { RefusalStage } from '../limits/refusal-reason.js';

/** The part of the SSE engine a route needs: start streaming a source on a response. */
export interface SseOpener {
  open(
    req: IncomingMessage,
    res: ServerResponse,
    source: unknown,
    options: SseStreamOptions,
  ): unknown;
  /** Told of every `@Sse` request answered with an error instead of a stream (for metrics). */
  refused?(stage: RefusalStage, err: unknown): void;
}

/** Everything one route needs at request time, computed once at startup. */
export interface RouteRuntime {
  controller: new (...args: never[]) => unknown;
  instance: object;
  handler: (...args: unknown[]) => unknown;
  method: string;
  params: ParamPlan[];
  guards: CanActivate[];
  status: number;
  headers: Record<string, string> | undefined;
  /** Present on `@Sse` routes: the route's stream options (the engine merges app defaults under). */
  sse: SseStreamOptions | undefined;
  bodyLimit: number;
  validation: Required<ValidationOptions>;
  logger: LoggerLike;
  sseServer: SseOpener;
}

/**
 * Runs one request through a route: body, guards, parameters (with DTO validation), the handler,
 * then the reply or the event stream. Every failure before the first byte answers as JSON; the
 * returned promise never rejects.
 */
export async function runRoute(rt: RouteRuntime, req: HeraldRequest, res: ServerResponse) {
  // How far the request got, so a refused stream is counted under the step that refused it.
  const at: { stage: RefusalStage } = { stage: 'request' };
  try {
    req.body = await readBody(req, rt.bodyLimit);
    const ctx = createExecutionContext(rt.controller, rt.handler, req, res);
    at.stage = 'guard';
    for (const guard of rt.guards) {
      if (!(await guardResult(guard.canActivate(ctx)))) {
        throw new ForbiddenException('Forbidden resource');
      }
    }
    at.stage = 'params';
    const args = await resolveParams(rt.params, req, rt.validation);
    if (rt.sse) return await stream(rt, req, res, args, at);
    const result = await rt.handler.apply(rt.instance, args);
    sendResult(res, rt.status, rt.headers, result);
  } catch (err) {
    if (rt.sse) rt.sseServer.refused?.(at.stage, err);
    // Past a body limit the rest of the body is never read: close the connection after answering.
    const extra = err instanceof PayloadTooLargeException ? { Connection: 'close' } : undefined;
    sendError(res, err, rt.logger, extra);
  }
}

async function stream(
  rt: RouteRuntime,
  req: HeraldRequest,
  res: ServerResponse,
  args: unknown[],
  at: { stage: RefusalStage },
) {
  const sse = rt.sse!;
  at.stage = 'open';
  if (req.method === 'HEAD') {
    // A HEAD answers the head a GET would, from the engine that writes it (`sseHead`), under the
    // same stream caps; the handler is not run, as there is no body to stream.
    await rt.sseServer.open(req, res, NO_EVENTS, sse);
    return;
  }
  at.stage = 'handler';
  const source = await rt.handler.apply(rt.instance, args);
  at.stage = 'open';
  if (source === null || source === undefined) {
    // 204 tells EventSource to stop reconnecting (HTML 9.2.3: a non-200 status fails the connection).
    sendResult(res, 204, rt.headers, undefined);
    return;
  }
  // Awaited: a source that must be authorized first (a Hub subscription) can still be refused.
  await rt.sseServer.open(req, res, source, sse);
}

/** The source a HEAD streams: nothing (the engine ends a HEAD after its head). */
const NO_EVENTS = { subscribe: (): undefined => undefined };

/**
 * The stream options of an `@Sse` route as passed to the engine, which merges them over the app's
 * `sse` defaults: the route's own options, its `@HttpCode`/`@Header`, and error reporting.
 */
export function sseOptions(
  route: SseStreamOptions,
  status: number | undefined,
  headers: Record<string, string> | undefined,
): SseStreamOptions {
  // describeError and onError are app-wide (the factory gives the SseServer Herald's defaults,
  // under whatever `sse` options the app set), so a route only adds what is its own.
  const options: SseStreamOptions = { ...route };
  if (status !== undefined) options.status = status;
  if (headers) options.headers = headers;
  return options;
}

/**
 * Herald's app-wide stream error handling: an `HttpException` in a stream is deliberate and
 * reaches the client with its status and message; anything else is logged and described
 * generically. App `sse` options may replace either.
 */
export function defaultStreamErrors(
  logger: LoggerLike,
): Pick<SseStreamOptions, 'describeError' | 'onError'> {
  return {
    describeError,
    onError: (err) => {
      if (isHeraldError(err, 'SLOW_CONSUMER')) logger.warn(err.message);
      else if (!(err instanceof HttpException)) logger.error('Event stream error', err);
    },
  };
}
