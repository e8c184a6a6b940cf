export { HeraldApplication } from './application.js';
export { DEFAULT_BODY_LIMIT } from './body.js';
export type { CorsOptions } from './cors-options.js';
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
} from './exceptions.js';
export type { ExecutionContext, HttpArgumentsHost } from './execution-context.js';
export { HeraldFactory, type HeraldApplicationOptions } from './factory.js';
export { type CanActivate, type GuardLike, UseGuards } from './guards.js';
export { type ErrorBody, HttpException } from './http-exception.js';
export { Logger, type LoggerLike } from './logger.js';
export {
  Body,
  Headers,
  LastEventId,
  Param,
  Query,
  Req,
} from './param-decorators.js';
export { Reflector, SetMetadata } from './reflector.js';
export type { HeraldRequest } from './request.js';
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
  type SseRouteOptions,
} from './route-decorators.js';
export { DEFAULT_RETRY_AFTER_SECONDS, RetryLaterException } from './retry-later-exception.js';
export { DEFAULT_SERVER_OPTIONS, type HttpServerOptions } from './server-options.js';
export {
  DEFAULT_SHUTDOWN,
  DEFAULT_SHUTDOWN_SIGNALS,
  type ShutdownOptions,
} from './shutdown.js';
export type { StaticAssetsOptions } from './static-assets.js';
export { DEFAULT_MAX_STREAMS_PER_ADDRESS, type StreamLimits } from './stream-limits.js';
