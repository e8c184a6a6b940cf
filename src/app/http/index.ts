export { HeraldApplication } from './server/application.js';
export type { MetricsOptions } from '../../metrics/app-metrics.js';
export { DEFAULT_BODY_LIMIT } from './routing/read-body.js';
export type { CorsOptions } from './server/cors-options.js';
export {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  type HttpExceptionOptions,
  InternalServerErrorException,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  TooManyRequestsException,
  UnauthorizedException,
} from './errors/exceptions.js';
export type { ExecutionContext, HttpArgumentsHost } from './routing/execution-context.js';
export type { HeraldApplicationOptions } from './server/application-options.js';
export type { AccessLogEntry, AccessLogOption } from './server/access-log.js';
export { HeraldFactory } from './server/factory.js';
export {
  type GlobalPrefixOptions,
  RequestMethod,
  type RouteInfo,
} from './server/global-prefix.js';
export type { AnyMiddleware, Middleware } from './server/middleware.js';
export type { TrustProxy } from './server/trust-proxy.js';
export { DEFAULT_VALIDATION, type ValidationOptions } from './routing/validation.js';
export { type CanActivate, type GuardLike, UseGuards } from './guards/guards.js';
export { type ErrorBody, HttpException } from './errors/http-exception.js';
export { Logger, type LoggerLike } from './server/logger.js';
export {
  Body,
  Headers,
  LastEventId,
  Param,
  Query,
  Req,
} from './routing/param-decorators.js';
export { Reflector, SetMetadata } from './guards/reflector.js';
export type { HeraldRequest } from './routing/request.js';
export {
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Patch,
  Post,
  Put,
  type RouteMethod,
  SSE,
  Sse,
  type SseDecoratorOptions,
  type SseMethod,
  type SseRouteOptions,
} from './routing/route-decorators.js';
export {
  DEFAULT_RETRY_AFTER_SECONDS,
  RetryLaterException,
} from './errors/retry-later-exception.js';
export { DEFAULT_SERVER_OPTIONS, type HttpServerOptions } from './server/server-options.js';
export type { HeraldServer } from './server/create-server.js';
export {
  DEFAULT_HTTP2_OPTIONS,
  type Http2Options,
  type HttpsOptions,
} from './server/secure-options.js';
export {
  DEFAULT_SHUTDOWN,
  DEFAULT_SHUTDOWN_SIGNALS,
  type ShutdownOptions,
} from './server/shutdown.js';
export type { StaticAssetsOptions } from './server/static-assets.js';
export { DEFAULT_MAX_STREAMS_PER_ADDRESS, type StreamLimits } from './limits/stream-limits.js';
