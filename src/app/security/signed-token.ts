import { createHmac, timingSafeEqual } from 'node:crypto';
import { HeraldError } from '../../errors.js';

/** A key to sign with, or several to accept (the first signs; the rest are being rotated out). */
export type TokenSecret = string | Buffer | ReadonlyArray<string | Buffer>;

/** What a token carries: your claims plus `exp`, its expiry in seconds since the epoch. */
export type TokenClaims = Record<string, unknown> & { exp: number };

/** Why a token was refused. `forged` covers a wrong key, a changed payload or a bad signature. */
export type TokenRefusal = 'missing' | 'malformed' | 'forged' | 'expired';

/** The outcome of {@link verifyToken}. */
export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: TokenRefusal };

// HMAC-SHA256 is only as strong as its key: 32 random bytes is the recommendation, 16 the floor.
const MIN_SECRET_BYTES = 16;
// A token is a few hundred bytes; refusing long ones first keeps hostile input from costing an HMAC.
const MAX_TOKEN_LENGTH = 4096;

function keysOf(secret: TokenSecret): Buffer[] {
  const list = typeof secret === 'string' || Buffer.isBuffer(secret) ? [secret] : [...secret];
  const keys = list.map((k) => (typeof k === 'string' ? Buffer.from(k, 'utf8') : k));
  if (keys.length === 0 || keys.some((k) => k.length < MIN_SECRET_BYTES)) {
    throw new HeraldError(
      'INVALID_MODULE',
      `a token secret must be at least ${MIN_SECRET_BYTES} bytes (32 random bytes recommended)`,
    );
  }
  return keys;
}

/** @internal Throws `INVALID_MODULE` for a missing or short secret (guards call it at startup). */
export function assertSecret(secret: TokenSecret): void {
  keysOf(secret);
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

/**
 * Signs `claims` into a URL- and cookie-safe token (`<base64url JSON>.<base64url HMAC-SHA256>`)
 * that expires `expiresIn` seconds from now. The claims are readable by anyone holding the token:
 * put ids in them, not secrets.
 *
 * @example
 * const token = signToken({ sub: user.id, topics: ['orders'] }, process.env.SSE_SECRET!, { expiresIn: 3600 });
 * new EventSource(`/events?token=${token}`);
 */
export function signToken(
  claims: Record<string, unknown>,
  secret: TokenSecret,
  options: { expiresIn: number; now?: number },
): string {
  const now = options.now ?? Date.now();
  const exp = Math.floor(now / 1000) + options.expiresIn;
  const payload = Buffer.from(JSON.stringify({ ...claims, exp }), 'utf8').toString('base64url');
  return `${payload}.${mac(keysOf(secret)[0]!, payload).toString('base64url')}`;
}

/**
 * Checks a token made by {@link signToken}: the signature against every key (in constant time),
 * then the expiry. Never throws for hostile input; throws only for a secret that is too short.
 */
export function verifyToken(
  token: string | undefined,
  secret: TokenSecret,
  options: { now?: number } = {},
): TokenCheck {
  const keys = keysOf(secret);
  if (token === undefined || token === '') return { ok: false, reason: 'missing' };
  const dot = token.indexOf('.');
  if (token.length > MAX_TOKEN_LENGTH || dot <= 0 || dot !== token.lastIndexOf('.')) {
    return { ok: false, reason: 'malformed' };
  }
  const payload = token.slice(0, dot);
  const encoded = token.slice(dot + 1);
  const signature = Buffer.from(encoded, 'base64url');
  // Node's base64url decoder skips characters outside the alphabet: insist on the canonical form,
  // so one signature has exactly one spelling.
  if (signature.toString('base64url') !== encoded) return { ok: false, reason: 'malformed' };
  // Compare against every key even after a match, so timing says nothing about which one matched.
  let valid = false;
  for (const key of keys) {
    const expected = mac(key, payload);
    if (signature.length === expected.length && timingSafeEqual(signature, expected)) valid = true;
  }
  if (!valid) return { ok: false, reason: 'forged' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const exp = (claims as { exp?: unknown } | null)?.exp;
  if (typeof exp !== 'number') return { ok: false, reason: 'malformed' };
  if (exp * 1000 <= (options.now ?? Date.now())) return { ok: false, reason: 'expired' };
  return { ok: true, claims: claims as TokenClaims };
}
