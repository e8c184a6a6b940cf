import type { ExecutionContext } from '@nestjs/common';
import { common } from './nest-peers.js';

/** Reads the resume position from a request on either platform. */
function lastEventIdOf(_data: unknown, context: ExecutionContext): string | undefined {
  const req = context.switchToHttp().getRequest<{
    headers: Record<string, string | string[] | undefined>;
    query?: Record<string, unknown>;
  }>();
  const header = req.headers['last-event-id'];
  if (typeof header === 'string') return header;
  // EventSource polyfills that cannot set headers send it in the query.
  const query = req.query?.lastEventId;
  return typeof query === 'string' ? query : undefined;
}

const lastEventIdParam = common.createParamDecorator(lastEventIdOf);

/**
 * The client's `Last-Event-ID` header (or `?lastEventId=`), to hand to `hub.subscribe()`;
 * `undefined` on a first connection.
 *
 * @example
 * stream(@LastEventId() lastEventId?: string) { return this.hub.subscribe('news', { lastEventId }); }
 */
export function LastEventId(): ParameterDecorator {
  return lastEventIdParam();
}
