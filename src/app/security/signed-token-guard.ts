import type { ExecutionContext } from '../http/routing/execution-context.js';
import type { CanActivate } from '../http/guards/guards.js';
import type { HeraldRequest } from '../http/routing/request.js';
import type { AuthenticatedRequest } from './authenticated-request.js';
import { unauthorized } from './refusal.js';
import { assertSecret, type TokenSecret, verifyToken } from './signed-token.js';

/** Options of {@link SignedTokenGuard}. */
export interface SignedTokenGuardOptions {
  /** The key(s) tokens are signed with ({@link signToken}); several while rotating. */
  secret: TokenSecret;
  /** Query parameter that carries the token. Default `token`. */
  param?: string;
}

/**
 * Lets a request through when it carries a valid, unexpired token from {@link signToken}: in the
 * query string (`?token=`, what a browser `EventSource` can send, as it cannot set headers) or in
 * `Authorization: Bearer` (other clients). The claims land on `req.user`; a missing, malformed,
 * forged or expired token answers 401 before any stream starts.
 *
 * The token is checked when a stream opens, so it must outlive reconnects: `EventSource` reconnects
 * with the same URL, and a 401 stops it for good.
 *
 * @example
 * ```ts
 * @Sse('events')
 * @UseGuards(new SignedTokenGuard({ secret: process.env.SSE_SECRET! }))
 * events(@Req() req: AuthenticatedRequest) { ... }
 * ```
 */
export class SignedTokenGuard implements CanActivate {
  readonly #secret: TokenSecret;
  readonly #param: string;

  constructor(options: SignedTokenGuardOptions) {
    assertSecret(options.secret);
    this.#secret = options.secret;
    this.#param = options.param ?? 'token';
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<HeraldRequest>();
    const token = this.#tokenOf(req);
    // A repeated parameter is ambiguous: refuse it rather than guess which one was meant.
    if (token === null) throw unauthorized('malformed');
    const check = verifyToken(token, this.#secret);
    if (!check.ok) throw unauthorized(check.reason);
    (req as AuthenticatedRequest).user = check.claims;
    return true;
  }

  #tokenOf(req: HeraldRequest): string | undefined | null {
    const fromQuery = req.query[this.#param];
    if (Array.isArray(fromQuery)) return null;
    if (fromQuery !== undefined) return fromQuery;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
    return undefined;
  }
}
