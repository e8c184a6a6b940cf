import { HeraldError } from '../errors.js';
import {
  ATTACH_FRAMES,
  type AttachedProducer,
  type FrameSink,
  isFrameSource,
} from './frame-source.js';
import type { Producer, ProducerSink } from './producer-sink.js';
import { type ObservableLike, sourceKind } from './source-kind.js';
import { messageOf } from './message-of.js';

const noop = (): void => {};

/**
 * Starts pulling or subscribing to `source`, delivering into `sink`. Throws `INVALID_SOURCE` (before
 * touching the source) when it is not a stream. Whatever the source, `cancel()` releases it in the
 * same tick: an Observable is unsubscribed, an iterator `return()`ed, a ReadableStream cancelled,
 * EventTarget listeners removed.
 */
export function startProducer(source: unknown, sink: ProducerSink): AttachedProducer {
  // A frame source (a Hub subscription) writes shared frames itself when the sink takes frames.
  if (isFrameSource(source) && typeof (sink as Partial<FrameSink>).sendFrame === 'function') {
    return source[ATTACH_FRAMES](sink as FrameSink);
  }
  switch (sourceKind(source)) {
    case 'observable':
      return fromObservable(source as ObservableLike, sink);
    case 'event-target':
      return fromEventTarget(source as EventTarget, sink);
    case 'readable-stream':
      return fromReadableStream(source as ReadableStream<unknown>, sink);
    case 'async-iterable':
      return fromIterator((source as AsyncIterable<unknown>)[Symbol.asyncIterator](), sink);
    case 'iterable':
      return fromIterator((source as Iterable<unknown>)[Symbol.iterator](), sink);
    default:
      throw new HeraldError(
        'INVALID_SOURCE',
        `an @Sse handler must return an Observable, EventTarget, async iterable or ReadableStream (or a Promise of one); got ${describe(source)}`,
      );
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

function fromObservable(source: ObservableLike, sink: ProducerSink): Producer {
  let done = false;
  let teardown: (() => void) | undefined;
  const subscription = source.subscribe({
    next: (value) => {
      if (!done) sink.next(value);
    },
    error: (err) => {
      if (done) return;
      done = true;
      sink.error(err);
    },
    complete: () => {
      if (done) return;
      done = true;
      sink.complete();
    },
  });
  if (typeof subscription === 'function') teardown = subscription;
  else if (subscription && typeof subscription.unsubscribe === 'function') {
    teardown = () => subscription.unsubscribe();
  }
  // The sink may have cancelled (or the source finished) while subscribe() was still running.
  if (done) teardown?.();
  return {
    cancel() {
      if (done && teardown === undefined) return;
      done = true;
      const t = teardown;
      teardown = undefined;
      t?.();
    },
  };
}

function fromEventTarget(target: EventTarget, sink: ProducerSink): Producer {
  let done = false;
  const stop = (): void => {
    done = true;
    target.removeEventListener('message', onMessage);
    target.removeEventListener('close', onClose);
    target.removeEventListener('error', onError);
  };
  function onMessage(event: Event): void {
    if (done) return;
    const message = messageOf(event);
    sink.next(message);
    // Danet convention: a message named `close` is the last one.
    if (!done && (message.event === 'close' || message.type === 'close')) {
      stop();
      sink.complete();
    }
  }
  function onClose(): void {
    if (done) return;
    stop();
    sink.complete();
  }
  function onError(event: Event): void {
    if (done) return;
    stop();
    sink.error((event as ErrorEvent).error ?? new Error('the event source dispatched an error'));
  }
  target.addEventListener('message', onMessage);
  target.addEventListener('close', onClose);
  target.addEventListener('error', onError);
  return { cancel: () => !done && stop() };
}

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

function fromIterator(iterator: AnyIterator, sink: ProducerSink): Producer {
  let cancelled = false;
  const pump = async (): Promise<void> => {
    try {
      while (!cancelled) {
        if (!sink.ready) {
          await new Promise<void>((resolve) => sink.whenReady(resolve));
          if (cancelled) return;
        }
        // A sync iterator's result is used as is; awaiting only async ones keeps arrays cheap.
        const step = iterator.next();
        const result = step instanceof Promise ? await step : step;
        if (cancelled) return;
        if (result.done) return sink.complete();
        sink.next(result.value);
      }
    } catch (err) {
      if (!cancelled) sink.error(err);
    }
  };
  void pump();
  return {
    cancel() {
      if (cancelled) return;
      cancelled = true;
      try {
        const r = iterator.return?.();
        if (r instanceof Promise) r.catch(noop);
      } catch {
        // A generator that throws from its finally block has nobody left to tell.
      }
    },
  };
}

function fromReadableStream(stream: ReadableStream<unknown>, sink: ProducerSink): Producer {
  const reader = stream.getReader();
  const iterator: AsyncIterator<unknown> = {
    next: () => reader.read() as Promise<IteratorResult<unknown>>,
    return: async () => {
      await reader.cancel();
      return { done: true, value: undefined };
    },
  };
  return fromIterator(iterator, sink);
}
