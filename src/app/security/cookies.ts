/**
 * The cookies of a `Cookie` request header (RFC 6265 5.4), by name. When a name repeats, the first
 * wins: browsers send the cookie with the most specific path first. Values are percent-decoded
 * when they are valid percent-encoding and kept as sent otherwise.
 */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    if (name === '' || cookies.has(name)) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1);
    cookies.set(name, decode(value));
  }
  return cookies;
}

function decode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Attributes of a session cookie. */
export interface SessionCookieOptions {
  /** Lifetime in seconds (`Max-Age`); match the token's `expiresIn`. */
  maxAge: number;
  /** Default `/`. */
  path?: string;
  /** Default unset (host-only). */
  domain?: string;
  /** Default `true`; a browser drops `SameSite=None` cookies that are not `Secure`. */
  secure?: boolean;
  /**
   * Default `Lax`: sent to the same site only, which includes `api.example.com` from
   * `app.example.com`. A page on another site needs `None` (and CORS with credentials).
   */
  sameSite?: 'Strict' | 'Lax' | 'None';
}

/**
 * A `Set-Cookie` value for a session token: `HttpOnly` always (scripts never need to read it;
 * `EventSource` sends it by itself).
 *
 * @example
 * res.setHeader('Set-Cookie', sessionCookie('herald_session', signToken({ sub }, secret, { expiresIn: 3600 }), { maxAge: 3600 }));
 */
export function sessionCookie(name: string, value: string, options: SessionCookieOptions): string {
  let cookie = `${name}=${encodeURIComponent(value)}; Max-Age=${Math.floor(options.maxAge)}`;
  cookie += `; Path=${options.path ?? '/'}`;
  if (options.domain !== undefined) cookie += `; Domain=${options.domain}`;
  if (options.secure ?? true) cookie += '; Secure';
  cookie += `; HttpOnly; SameSite=${options.sameSite ?? 'Lax'}`;
  return cookie;
}
