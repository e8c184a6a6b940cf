import type { MessageEvent } from '../wire/message-event.js';

/**
 * The MessageEvent carried by a DOM event dispatched on an EventTarget source: a `CustomEvent`'s
 * `detail` (Danet's SSEEvent), or an event that has `data` itself (Herald's SSEMessage, a DOM
 * MessageEvent). Copied to a plain object, because a DOM event's own `type` is always `message`.
 */
export function messageOf(event: Event): MessageEvent<unknown> {
  if (typeof CustomEvent !== 'undefined' && event instanceof CustomEvent) {
    return event.detail as MessageEvent<unknown>;
  }
  const e = event as Event & Partial<MessageEvent<unknown>> & { lastEventId?: string };
  const message: MessageEvent<unknown> = { data: e.data };
  const id = e.id ?? (e.lastEventId ? e.lastEventId : undefined);
  if (id !== undefined) message.id = id;
  if (e.event !== undefined) message.event = e.event;
  if (e.retry !== undefined) message.retry = e.retry;
  if (e.comment !== undefined) message.comment = e.comment;
  return message;
}
