import { METADATA } from '../../metadata-keys.js';

/** Where a handler parameter's value comes from. */
export type ParamSource = 'query' | 'param' | 'body' | 'headers' | 'request' | 'last-event-id';

/** One parameter decorator as recorded under `METADATA.PARAMS` (on the class, keyed by method). */
export interface ParamDefinition {
  index: number;
  source: ParamSource;
  /** A property of the source (`@Query('email')`), or the whole source when absent. */
  key?: string;
}

function param(source: ParamSource, key?: string): ParameterDecorator {
  return (target, method, index) => {
    if (method === undefined) return; // constructor parameters belong to DI
    const ctor = target.constructor;
    const list: ParamDefinition[] = [...(Reflect.getMetadata(METADATA.PARAMS, ctor, method) ?? [])];
    const def: ParamDefinition = { index, source };
    if (key !== undefined) def.key = key;
    list.push(def);
    Reflect.defineMetadata(METADATA.PARAMS, list, ctor, method);
  };
}

/**
 * The query string, or one of its values. A class-typed parameter is transformed and validated.
 *
 * @example
 * ```ts
 * @Sse('verified')
 * verified(@Query() query: SseQueryDto): Observable<MessageEvent> {}
 * ```
 */
export const Query = (key?: string): ParameterDecorator => param('query', key);
/** The route parameters, or one of them (`@Param('id')`). */
export const Param = (key?: string): ParameterDecorator => param('param', key);
/** The parsed request body, or one of its properties. A class-typed parameter is validated. */
export const Body = (key?: string): ParameterDecorator => param('body', key);
/** The request headers, or one of them (name is case-insensitive). */
export const Headers = (name?: string): ParameterDecorator => param('headers', name?.toLowerCase());
/** The request itself ({@link HeraldRequest}). */
export const Req = (): ParameterDecorator => param('request');
/**
 * The id of the last event the client saw: the `Last-Event-ID` header EventSource sends on
 * reconnect, else a `lastEventId` query parameter (for polyfills that cannot set headers);
 * `undefined` on a first connect.
 */
export const LastEventId = (): ParameterDecorator => param('last-event-id');
