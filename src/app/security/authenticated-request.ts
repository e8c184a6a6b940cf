import type { HeraldRequest } from '../http/routing/request.js';
import type { TokenClaims } from './signed-token.js';

/**
 * A request that passed {@link SignedTokenGuard} or {@link SessionCookieGuard}: the verified claims
 * are on `user`, as NestJS's Passport guards put them.
 *
 * @example
 * ```ts
 * @Sse('orders')
 * @UseGuards(new SignedTokenGuard({ secret }))
 * orders(@Req() req: AuthenticatedRequest) {
 *   return hub.subscribe(`orders:${req.user.sub}`);
 * }
 * ```
 */
export interface AuthenticatedRequest extends HeraldRequest {
  user: TokenClaims;
}
