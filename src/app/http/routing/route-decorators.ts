import { METADATA } from '../../metadata-keys.js';

/** HTTP methods a route decorator can register. */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Per-route SSE options (`@Sse(path, options)`); merged over the app's `sse` defaults. */
export interface SseRouteOptions {
  /** Heartbeat comment interval in ms, or `false` for none. */
  heartbeat?: number | false;
  /** `retry:` (ms) sent first on connect. */
  retry?: number;
  /** Cap on unsent bytes per connection (see `SseStreamOptions.maxPendingBytes`). */
  maxPendingBytes?: number;
  /** How long unsent bytes over the cap may go without shrinking before the client is cut. */
  maxStallMs?: number;
}

/** One route as recorded under `METADATA.ROUTES` on a controller prototype. */
export interface RouteDefinition {
  method: RouteMethod;
  paths: string[];
  /** The controller method's name. */
  handler: string | symbol;
  /** Set on `@Sse` routes: the response is an event stream. */
  sse?: SseRouteOptions;
}

/**
 * Marks a class as a controller whose routes live under `prefix`.
 *
 * @example
 * ```ts
 * @Controller('notifications')
 * export class NotificationsController {}
 * ```
 */
export function Controller(prefix: string | string[] = ''): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(METADATA.CONTROLLER, { prefixes: toArray(prefix) }, target);
  };
}

function route(method: RouteMethod, path: string | string[] = '', sse?: SseRouteOptions) {
  return (target: object, key: string | symbol): void => {
    const routes: RouteDefinition[] = Reflect.getOwnMetadata(METADATA.ROUTES, target) ?? [
      ...(Reflect.getMetadata(METADATA.ROUTES, target) ?? []),
    ];
    const def: RouteDefinition = { method, paths: toArray(path), handler: key };
    if (sse) def.sse = sse;
    routes.push(def);
    Reflect.defineMetadata(METADATA.ROUTES, routes, target);
  };
}

function toArray(path: string | string[]): string[] {
  return Array.isArray(path) ? path : [path];
}

/** Routes HTTP GET requests for `path` (relative to the controller prefix) to the method. */
export const Get = (path?: string | string[]): MethodDecorator => route('GET', path);
/** Routes HTTP POST requests; the default status is 201. */
export const Post = (path?: string | string[]): MethodDecorator => route('POST', path);
/** Routes HTTP PUT requests. */
export const Put = (path?: string | string[]): MethodDecorator => route('PUT', path);
/** Routes HTTP PATCH requests. */
export const Patch = (path?: string | string[]): MethodDecorator => route('PATCH', path);
/** Routes HTTP DELETE requests. */
export const Delete = (path?: string | string[]): MethodDecorator => route('DELETE', path);

/** The methods an event-stream route may answer (`@Sse(path, { method })`). */
export type SseMethod = 'GET' | 'POST' | 'PUT' | 'PATCH';

/** `@Sse`'s options: the stream's, and the HTTP method (GET unless given). */
export interface SseDecoratorOptions extends SseRouteOptions {
  /**
   * `POST` (or `PUT`, `PATCH`) starts a stream from a request body, parsed and validated as on any
   * route (a chat UI posting a prompt); the stream still answers 200. Default `GET` (also HEAD).
   */
  method?: SseMethod;
}

/**
 * An event-stream route (GET unless `method` says otherwise): the method returns (or resolves to)
 * an Observable, EventTarget, async iterable or ReadableStream of `MessageEvent`s. Guards,
 * validation and an early throw still answer with a real status; `null`/`undefined` answers 204
 * (EventSource then stops reconnecting).
 *
 * @example
 * ```ts
 * @Sse('events', { heartbeat: 10_000 })
 * events(): Observable<MessageEvent> {
 *   return interval(1000).pipe(map((n) => ({ data: { n } })));
 * }
 * ```
 */
export const Sse = (
  path?: string | string[],
  options: SseDecoratorOptions = {},
): MethodDecorator => {
  const { method = 'GET', ...stream } = options;
  return route(method, path, stream);
};

/** Danet's name for {@link Sse}. */
export const SSE = Sse;

/** Sets the response status of a route (for `@Sse` routes, of the stream response). */
export function HttpCode(status: number): MethodDecorator {
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(METADATA.HTTP_CODE, status, descriptor.value as object);
  };
}

/** Adds a response header to a route; repeatable. */
export function Header(name: string, value: string): MethodDecorator {
  return (_target, _key, descriptor) => {
    const fn = descriptor.value as object;
    const headers: Record<string, string> = { ...Reflect.getMetadata(METADATA.HEADERS, fn) };
    headers[name] = value;
    Reflect.defineMetadata(METADATA.HEADERS, headers, fn);
  };
}
