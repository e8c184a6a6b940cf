import type { ServerResponse } from 'node:http';
import type { HeraldRequest } from './request.js';

/** The HTTP side of an {@link ExecutionContext}. */
export interface HttpArgumentsHost {
  getRequest<T = HeraldRequest>(): T;
  getResponse<T = ServerResponse>(): T;
  getNext<T = undefined>(): T;
}

/**
 * What a guard knows about the call it decides on: the controller class, the handler function (read
 * route metadata from it with `Reflector`) and the request/response.
 */
export interface ExecutionContext {
  /** The controller class. */
  getClass<T = unknown>(): new (...args: never[]) => T;
  /** The handler method (the function, as metadata targets it). */
  getHandler(): (...args: unknown[]) => unknown;
  /** `[request, response]`. */
  getArgs(): [HeraldRequest, ServerResponse];
  /** Always `'http'` here. */
  getType<T extends string = 'http'>(): T;
  switchToHttp(): HttpArgumentsHost;
}

/** Builds the context handed to guards for one request. */
export function createExecutionContext(
  controller: new (...args: never[]) => unknown,
  handler: (...args: unknown[]) => unknown,
  req: HeraldRequest,
  res: ServerResponse,
): ExecutionContext {
  const http: HttpArgumentsHost = {
    getRequest: <T>() => req as T,
    getResponse: <T>() => res as T,
    getNext: <T>() => undefined as T,
  };
  return {
    getClass: <T>() => controller as new (...args: never[]) => T,
    getHandler: () => handler,
    getArgs: () => [req, res],
    getType: <T extends string>() => 'http' as T,
    switchToHttp: () => http,
  };
}
