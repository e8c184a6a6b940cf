import { UnauthorizedException } from '../http/errors/exceptions.js';
import type { TokenRefusal } from './signed-token.js';

// What the client is told: enough to know whether to get a new token, nothing about which check
// failed on a forged one.
const MESSAGES: Record<TokenRefusal, string> = {
  missing: 'Authentication required',
  malformed: 'Invalid credentials',
  forged: 'Invalid credentials',
  expired: 'Credentials expired',
};

/** The 401 a guard throws for a refused token. */
export function unauthorized(reason: TokenRefusal): UnauthorizedException {
  return new UnauthorizedException(MESSAGES[reason]);
}
