import { EventSource } from 'eventsource';

export interface Received {
  type: string;
  data: string;
  id: string;
}

/**
 * Opens a real `eventsource` client on `url`, listens for `message` and each of `types`, and
 * resolves with the first `count` events (then closes the client). Fails after `ms` (generous: it
 * only matters when the events never come).
 */
export function collect(
  url: string,
  count: number,
  types: string[] = [],
  ms = 30_000,
): Promise<Received[]> {
  return new Promise((resolve, reject) => {
    const es = new EventSource(url);
    const got: Received[] = [];
    const timer = setTimeout(() => {
      es.close();
      reject(new Error(`timed out with ${got.length}/${count} events: ${JSON.stringify(got)}`));
    }, ms);
    const on = (e: MessageEvent): void => {
      got.push({ type: e.type, data: e.data, id: e.lastEventId });
      if (got.length === count) {
        clearTimeout(timer);
        es.close();
        resolve(got);
      }
    };
    for (const type of ['message', ...types]) es.addEventListener(type, on);
  });
}
