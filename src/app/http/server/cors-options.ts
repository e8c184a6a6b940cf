type StaticOrigin = boolean | string | RegExp | Array<boolean | string | RegExp>;

/**
 * CORS settings, as the `cors` package takes them (`enableCors(options)` or `cors: options`).
 * With no options every origin is allowed (`Access-Control-Allow-Origin: *`).
 */
export interface CorsOptions {
  /** Allowed origin(s); `true` reflects the request's Origin; a function decides per request. */
  origin?:
    | StaticOrigin
    | ((origin: string | undefined, cb: (err: Error | null, allow?: StaticOrigin) => void) => void);
  /** Allowed methods for preflight (default `GET,HEAD,PUT,PATCH,POST,DELETE`). */
  methods?: string | string[];
  /** Allowed request headers (default: reflect `Access-Control-Request-Headers`). */
  allowedHeaders?: string | string[];
  /** Response headers the browser may read. */
  exposedHeaders?: string | string[];
  /** Sends `Access-Control-Allow-Credentials: true` (EventSource `withCredentials`). */
  credentials?: boolean;
  /** Preflight cache lifetime in seconds. */
  maxAge?: number;
  /** Hands preflight requests on to the routes instead of answering them. */
  preflightContinue?: boolean;
  /** Status of a successful preflight (default 204). */
  optionsSuccessStatus?: number;
}
