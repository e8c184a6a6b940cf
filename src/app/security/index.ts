export type { AuthenticatedRequest } from './authenticated-request.js';
export { parseCookies, type SessionCookieOptions, sessionCookie } from './cookies.js';
export {
  DEFAULT_SESSION_COOKIE,
  SessionCookieGuard,
  type SessionCookieGuardOptions,
} from './session-cookie-guard.js';
export {
  signToken,
  type TokenCheck,
  type TokenClaims,
  type TokenRefusal,
  type TokenSecret,
  verifyToken,
} from './signed-token.js';
export { SignedTokenGuard, type SignedTokenGuardOptions } from './signed-token-guard.js';
