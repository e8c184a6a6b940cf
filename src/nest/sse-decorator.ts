import type { SseStreamOptions } from '../connection/sse-options.js';
import { HeraldError } from '../errors.js';
import { HandlerResult } from './handler-result.js';
import { common } from './nest-peers.js';
import { HERALD_SSE_ROUTE, HeraldSseInterceptor } from './sse-interceptor.js';

/** Options of a `herald/nest` `@Sse` route; stream options win over `HeraldModule`'s `sse`. */
export interface HeraldSseOptions
  extends Pick<
    SseStreamOptions,
    'heartbeat' | 'retry' | 'maxPendingBytes' | 'maxStallMs' | 'status' | 'headers'
  > {
  /** `POST` makes a POST stream route (its body is read as for any Nest route). Default `GET`. */
  method?: 'GET' | 'POST';
}

// Nest's key for route parameter metadata (`ROUTE_ARGS_METADATA`), the same in Nest 11 and 12,
// where the constant moved from `@nestjs/common/constants` to `@nestjs/common/internal`.
const ROUTE_ARGS = '__routeArguments__';

/**
 * A drop-in for `@nestjs/common`'s `@Sse` that streams through Herald's engine: the handler may
 * return an Observable, a hub subscription (shared frames, encoded once), an async iterable, an
 * `EventTarget` dispatching `SSEMessage`s or a `ReadableStream`, or a Promise of one; `null` or
 * `undefined` answers 204. Guards, pipes, filters and interceptors run as on any Nest route, and
 * any refusal before the first byte answers with its status and JSON.
 *
 * @example
 * @Sse('stream')
 * stream(@LastEventId() lastEventId?: string) {
 *   return this.hub.subscribe('headlines', { lastEventId });
 * }
 */
export function Sse(path?: string | string[], options: HeraldSseOptions = {}): MethodDecorator {
  const { method = 'GET', ...stream } = options;
  if (method !== 'GET' && method !== 'POST') {
    throw new HeraldError('INVALID_MODULE', `@Sse method must be GET or POST, got ${method}`);
  }
  return (target, key, descriptor) => {
    const handler = descriptor.value;
    if (typeof handler !== 'function') {
      throw new HeraldError('INVALID_MODULE', `@Sse() goes on a method, not ${String(key)}`);
    }
    const boxed = boxResults(handler as (...args: unknown[]) => unknown);
    (descriptor as PropertyDescriptor).value = boxed;
    Reflect.defineMetadata(HERALD_SSE_ROUTE, stream, boxed);
    // A response parameter past the handler's own: Nest then leaves the response to the route
    // (no JSON reply after the stream began), and the handler never sees it.
    common.Res()(target, key, hiddenIndex(target, key, handler));
    common.RequestMapping({ path: path ?? '/', method: common.RequestMethod[method] })(
      target,
      key,
      descriptor,
    );
    // Last, so innermost: it gets the handler's value before any interceptor declared above.
    common.UseInterceptors(HeraldSseInterceptor)(target, key, descriptor);
  };
}

/**
 * The handler, returning its value boxed (see HandlerResult). Metadata earlier decorators put on
 * the original (guards, `@HttpCode`, `SetMetadata`) is copied, as Nest reads it off the method.
 */
function boxResults(handler: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  const boxed = function (this: unknown, ...args: unknown[]): HandlerResult {
    return new HandlerResult(handler.apply(this, args));
  };
  Object.defineProperty(boxed, 'name', { value: handler.name });
  for (const metaKey of Reflect.getOwnMetadataKeys(handler)) {
    Reflect.defineMetadata(metaKey, Reflect.getOwnMetadata(metaKey, handler), boxed);
  }
  return boxed;
}

/** The first parameter index neither the handler's signature nor its decorators use. */
function hiddenIndex(target: object, key: string | symbol, handler: Function): number {
  const types: unknown[] = Reflect.getMetadata('design:paramtypes', target, key) ?? [];
  const args: Record<string, { index: number }> =
    Reflect.getMetadata(ROUTE_ARGS, target.constructor, key) ?? {};
  const used = Object.values(args).map((arg) => arg.index + 1);
  // `handler.length` too: a build without decorator metadata (esbuild, tsx) records no paramtypes.
  return Math.max(types.length, handler.length, ...used);
}
