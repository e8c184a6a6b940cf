/**
 * Seed 001's `message-event.interface.ts`, which the article imports but does not show: the
 * NestJS `MessageEvent` shape with the seed's own data type.
 */

/** What seed 001 streams to a client: whether its e-mail passed the verified filter. */
export interface MessageEventData {
  isVerifiedFilter: boolean;
}

/** One event as seed 001's controller returns it (NestJS's `MessageEvent` interface). */
export interface MessageEvent {
  data: string | MessageEventData;
  id?: string;
  type?: string;
  retry?: number;
}
