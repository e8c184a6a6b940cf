/**
 * Redis stream ids, `<ms>-<seq>`: two unsigned 64-bit integers written in decimal without leading
 * zeros. They are compared numerically (as `1000-0 > 999-0`), never as strings.
 */
const STREAM_ID = /^(0|[1-9]\d{0,19})-(0|[1-9]\d{0,19})$/;
const U64_MAX = 2n ** 64n - 1n;

/** The smallest id; a stream's `max-deleted-entry-id` before anything was trimmed. */
export const ZERO_ID = '0-0';

/** True when `id` is a complete Redis stream id (both parts, each within 64 bits). */
export function isStreamId(id: string): boolean {
  const match = STREAM_ID.exec(id);
  return match !== null && BigInt(match[1]!) <= U64_MAX && BigInt(match[2]!) <= U64_MAX;
}

/**
 * Orders two stream ids: negative, zero or positive. Compares the decimal parts by length first,
 * which is numeric order for digits without leading zeros, so no BigInt on this hot path (the hub
 * calls it for every held entry of every resuming subscriber).
 */
export function compareStreamIds(a: string, b: string): number {
  if (a === b) return 0;
  const da = a.indexOf('-');
  const db = b.indexOf('-');
  return (
    compareDigits(a, 0, da, b, 0, db) || compareDigits(a, da + 1, a.length, b, db + 1, b.length)
  );
}

function compareDigits(
  a: string,
  as: number,
  ae: number,
  b: string,
  bs: number,
  be: number,
): number {
  const la = ae - as;
  const lb = be - bs;
  if (la !== lb) return la - lb;
  for (let i = 0; i < la; i++) {
    const d = a.charCodeAt(as + i) - b.charCodeAt(bs + i);
    if (d !== 0) return d;
  }
  return 0;
}

/** The smallest id after `id` (a complete stream id): the next sequence number, or the next ms. */
export function nextStreamId(id: string): string {
  const dash = id.indexOf('-');
  const ms = BigInt(id.slice(0, dash));
  const seq = BigInt(id.slice(dash + 1));
  return seq < U64_MAX ? `${ms}-${seq + 1n}` : `${ms + 1n}-0`;
}
