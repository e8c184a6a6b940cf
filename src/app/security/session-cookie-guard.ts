import type { ExecutionContext } from '../http/routing/execution-context.js';
import type { CanActivate } from '../http/guards/guards.js';
import type { HeraldRequest } from '../http/routing/request.js';
import type { AuthenticatedRequest } from './authenticated-request.js';
import { parseCookies } from './cookies.js';
import { unauthorized } from './refusal.js';
import { assertSecret, type TokenSecret, verifyToken } from './signed-token.js';

/** Default name of the session cookie. */
export const DEFAULT_SESSION_COOKIE = 'herald_session';

/** Options of {@link SessionCookieGuard}. */
export interface SessionCookieGuardOptions {
  /** The key(s) session tokens are signed with ({@link signToken}). */
  secret: TokenSecret;
  /** Cookie name. Default `herald_session`. */
  cookie?: string;
}

/**
 * Lets a request through when its session cookie holds a valid, unexpired token from
 * {@link signToken} (set it with {@link sessionCookie}). `EventSource` sends cookies by itself:
 * same-origin always, cross-origin with `{ withCredentials: true }` and CORS that allows
 * credentials for that origin. The claims land on `req.user`; otherwise 401.
 *
 * @example
 * ```ts
 * @Controller('events')
 * @UseGuards(new SessionCookieGuard({ secret: process.env.SESSION_SECRET! }))
 * class EventsController { ... }
 * ```
 */
export class SessionCookieGuard implements CanActivate {
  readonly #secret: TokenSecret;
  readonly #cookie: string;

  constructor(options: SessionCookieGuardOptions) {
    assertSecret(options.secret);
    this.#secret = options.secret;
    this.#cookie = options.cookie ?? DEFAULT_SESSION_COOKIE;
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<HeraldRequest>();
    const value = parseCookies(req.headers.cookie).get(this.#cookie);
    const check = verifyToken(value, this.#secret);
    if (!check.ok) throw unauthorized(check.reason);
    (req as AuthenticatedRequest).user = check.claims;
    return true;
  }
}
