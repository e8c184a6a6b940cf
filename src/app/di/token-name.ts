import type { InjectionToken } from './types.js';

/** A token as people wrote it: a class's name, a string as is, a symbol as `Symbol(desc)`. */
export function tokenName(token: InjectionToken | undefined): string {
  if (typeof token === 'function') return token.name || '<anonymous class>';
  if (typeof token === 'symbol') return token.toString();
  if (typeof token === 'string') return token;
  return String(token);
}
