/**
 * One Server-Sent Event, as handlers return it (NestJS's `MessageEvent`, Danet's `SSEMessage` shape).
 *
 * - `data`: a string is sent as is (split into `data:` lines on CR, LF and CRLF); anything else is
 *   sent as JSON.
 * - `type` (NestJS) or `event` (Danet): the event name the browser dispatches; `type` wins when both are set.
 * - `id`: becomes the client's `lastEventId`; must not contain CR, LF or NUL.
 * - `retry`: reconnection delay in ms, a non-negative integer (`0` is sent).
 * - `comment`: a `:` line the browser ignores (heartbeats, padding, debugging).
 */
export interface MessageEvent<T = string | object> {
  data: T;
  id?: string | number;
  type?: string;
  event?: string;
  retry?: number;
  comment?: string;
}

/** What the encoder accepts: a MessageEvent, or a comment/retry-only frame without data. */
export type WireEvent = Omit<MessageEvent<unknown>, 'data'> & { data?: unknown };
