import type { MessageEvent } from '../wire/message-event.js';

/** The fields of a Danet-style `SSEMessage`. */
export interface SSEMessageInit {
  data: string | object;
  id?: string;
  event?: string;
  retry?: number;
}

/**
 * Danet's message as a DOM `Event` of type `message`, so `eventTarget.dispatchEvent(new SSEMessage({
 * data, id, event, retry }))` from Danet code streams unchanged. A message whose `event` is `close` is
 * sent, then the stream ends.
 *
 * @example
 * target.dispatchEvent(new SSEMessage({ id: '1', event: 'hello', data: 'world', retry: 1000 }));
 */
export class SSEMessage extends Event implements MessageEvent {
  readonly data: string | object;
  readonly id?: string;
  readonly event?: string;
  readonly retry?: number;

  constructor(message: SSEMessageInit) {
    super('message');
    this.data = message.data;
    if (message.id !== undefined) this.id = message.id;
    if (message.event !== undefined) this.event = message.event;
    if (message.retry !== undefined) this.retry = message.retry;
  }
}

/** Danet's `SSEEvent`: a `CustomEvent('message')` whose `detail` is the message. */
export class SSEEvent extends CustomEvent<SSEMessageInit> {
  constructor(message: SSEMessageInit) {
    super('message', { detail: message });
  }
}
