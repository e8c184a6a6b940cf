import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { HeraldError } from '../../../errors.js';

/**
 * Which proxies in front of the app are trusted to say who the client is (`X-Forwarded-For`), as
 * Express's `trust proxy` setting:
 * - `false` (default): none; the client is the socket's peer.
 * - `true`: every hop; the client is the left-most `X-Forwarded-For` address (only safe when the
 *   app is reachable through the proxy alone).
 * - a number `n`: the `n` hops nearest the app (`1` behind one load balancer).
 * - addresses, CIDR ranges or `'loopback'`, `'linklocal'`, `'uniquelocal'` (an array, or one
 *   comma-separated string): the proxies at those addresses.
 * - `(address, hop) => boolean`: decides per hop.
 */
export type TrustProxy =
  | boolean
  | number
  | string
  | readonly string[]
  | ((address: string, hop: number) => boolean);

/** `(req) => client address` for a {@link TrustProxy} setting; refuses a malformed address list. */
export function clientAddressOf(trust: TrustProxy = false): (req: IncomingMessage) => string {
  const peer = (req: IncomingMessage) => req.socket.remoteAddress ?? '';
  if (trust === false || trust === 0) return peer;
  const fn = compile(trust);
  // A destroyed socket no longer knows its peer; proxy-addr would then answer undefined.
  return (req) => (req.socket.remoteAddress === undefined ? '' : proxyaddr(req, fn));
}

function compile(trust: Exclude<TrustProxy, false>): (address: string, hop: number) => boolean {
  if (typeof trust === 'function') return trust;
  if (trust === true) return () => true;
  if (typeof trust === 'number') {
    if (!(Number.isSafeInteger(trust) && trust > 0)) {
      throw new HeraldError(
        'INVALID_MODULE',
        `trustProxy: a hop count is a whole number > 0, got ${trust}`,
      );
    }
    return (_address, hop) => hop < trust;
  }
  const list = typeof trust === 'string' ? trust.split(',').map((s) => s.trim()) : [...trust];
  try {
    return proxyaddr.compile(list);
  } catch (err) {
    throw new HeraldError('INVALID_MODULE', `trustProxy: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
