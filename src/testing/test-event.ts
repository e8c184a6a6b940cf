/**
 * One dispatched Server-Sent Event as `sse()` reads it (WHATWG HTML 9.2.6).
 *
 * - `type`: the `event:` field, `message` when absent or empty.
 * - `data`: the `data:` lines joined with LF; JSON-parsed when `sse()` was given `json: true`.
 * - `id`: the stream's last event ID at dispatch: it persists across events until the server
 *   sends another `id:` (an empty `id:` resets it to `''`), so it is what a browser would resend.
 * - `retry`: present when this event's own block had a valid `retry:` line.
 */
export interface TestEvent<Data = string> {
  type: string;
  data: Data;
  id: string;
  retry?: number;
}
