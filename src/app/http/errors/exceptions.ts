import { HttpException, statusText } from './http-exception.js';

/** Options of the built-in exceptions. */
export interface HttpExceptionOptions {
  cause?: unknown;
}

/**
 * NestJS's built-in body rule: no argument -> the status text as message; a string -> the message;
 * an object -> the whole body.
 */
function body(status: number, response: string | object | undefined): object {
  if (typeof response === 'object' && response !== null) return response;
  const error = statusText(status);
  return { message: response ?? error, error };
}

/** 400: the request is malformed (bad JSON, failed DTO validation). */
export class BadRequestException extends HttpException {
  constructor(response?: string | object, options?: HttpExceptionOptions) {
    super(body(400, response), 400, options);
  }
}

/** 401: the request lacks valid credentials. */
export class UnauthorizedException extends HttpException {
  constructor(response?: string | object, options?: HttpExceptionOptions) {
    super(body(401, response), 401, options);
  }
}

/** 403: the caller may not do this (what a refusing guard answers). */
export class ForbiddenException extends HttpException {
  constructor(response?: string | object, options?: HttpExceptionOptions) {
    super(body(403, response), 403, options);
  }
}

/** 404: nothing here. */
export class NotFoundException extends HttpException {
  constructor(response?: string | object, options?: HttpExceptionOptions) {
    super(body(404, response), 404, options);
  }
}

/** 409: the request conflicts with the current state. */
export class ConflictException extends HttpException {
  constructor(response?: string | object, options?: HttpExceptionOptions) {
    super(body(409, response), 409, options);
  }
}

/** 413: the request body is larger than the app's `bodyLimit`. */
export class PayloadTooLargeException extends HttpException {
  constructor(response?: string | object, options?: HttpExceptionOptions) {
    super(body(413, response), 413, options);
  }
}

/** 429: rate limited. */
export class TooManyRequestsException extends HttpException {
  constructor(response?: string | object, options?: HttpExceptionOptions) {
    super(body(429, response), 429, options);
  }
}

/** 500: a failure the caller cannot fix; its message is sent, so keep it safe. */
export class InternalServerErrorException extends HttpException {
  constructor(response?: string | object, options?: HttpExceptionOptions) {
    super(body(500, response), 500, options);
  }
}

/** 503: temporarily unable to serve (shutting down, a broker unavailable). */
export class ServiceUnavailableException extends HttpException {
  constructor(response?: string | object, options?: HttpExceptionOptions) {
    super(body(503, response), 503, options);
  }
}
