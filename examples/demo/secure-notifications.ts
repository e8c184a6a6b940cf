import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  type HeraldRequest,
  Hub,
  LastEventId,
  Sse,
  UnauthorizedException,
  UseGuards,
} from 'herald';
import { NOTIFICATIONS_TOPIC } from './notifications.js';

/** The bearer token the demo accepts; the page's herald/client panel sends it. */
export const DEMO_TOKEN = 'demo-token';

/**
 * Lets a request through only with `Authorization: Bearer demo-token`: a header the browser's
 * `EventSource` cannot send, so only a fetch-based client (herald/client) can open this stream.
 */
export class DemoTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<HeraldRequest>();
    if (req.headers.authorization !== `Bearer ${DEMO_TOKEN}`) {
      throw new UnauthorizedException('Send Authorization: Bearer demo-token');
    }
    return true;
  }
}

/** `/secure/notifications`: the notifications topic behind a header token (401 without it). */
@Controller('secure')
export class SecureNotificationsController {
  constructor(private readonly hub: Hub) {}

  @Sse('notifications')
  @UseGuards(DemoTokenGuard)
  notifications(@LastEventId() lastEventId: string | undefined) {
    return this.hub.subscribe(NOTIFICATIONS_TOPIC, { lastEventId });
  }
}
