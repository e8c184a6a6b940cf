import type { EventStream, HeraldClientError } from 'herald/client';

/** Reads a stream to its end (or `limit` events), returning the events and the error, if any. */
export async function collect<T>(
  stream: AsyncIterable<T>,
  limit = Number.POSITIVE_INFINITY,
): Promise<{ events: T[]; error: HeraldClientError | undefined }> {
  const events: T[] = [];
  try {
    for await (const event of stream) {
      events.push(event);
      if (events.length >= limit) break;
    }
    return { events, error: undefined };
  } catch (error) {
    return { events, error: error as HeraldClientError };
  }
}

/** Every error the stream reports to `onError`. */
export function errorsOf(stream: EventStream<never>): HeraldClientError[] {
  const errors: HeraldClientError[] = [];
  stream.onError((error) => errors.push(error));
  return errors;
}
