import { lastEventIdOf, refusalResponse, type SseResponseOptions, sseResponse } from 'herald/fetch';
import { Hub } from 'herald/hub';

/**
 * The routes every runtime serves in the fetch suite, as plain `Request -> Response` handlers.
 * Counters let the Node test see, across the process boundary, what the producers did.
 */
const hub = new Hub({
  history: { maxEvents: 100_000 },
  authorize: (topic) => topic !== 'private',
});
// One subscriber at most on this hub: the second answers 503 before its stream.
const smallHub = new Hub({ maxSubscribersPerTopic: 1 });
const counters = { live: 0, cancelled: 0, slow: 0, flooding: 0 };
const onError = (err: unknown): void => {
  if ((err as { code?: string }).code === 'SLOW_CONSUMER') counters.slow++;
};

type Handler = (request: Request, query: URLSearchParams) => Response | Promise<Response>;

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Options the stream routes share: no heartbeat unless asked, a short stall limit. */
function streamOptions(request: Request, query: URLSearchParams): SseResponseOptions {
  const options: SseResponseOptions = {
    request,
    heartbeat: false,
    maxPendingBytes: Number(query.get('max') ?? 1024 * 1024),
    maxStallMs: 300,
    onError,
  };
  // `heartbeat=default` leaves the runtime's default period in force.
  if (query.get('heartbeat') === 'default') delete options.heartbeat;
  return options;
}

/** An async generator that yields every 20 ms until cancelled, counted while it runs. */
async function* ticking(): AsyncGenerator<{ data: string }> {
  counters.live++;
  try {
    for (let i = 0; ; i++) {
      yield { data: `tick ${i}` };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    counters.live--;
    counters.cancelled++;
  }
}

/** A push source (an Observable) of 16 KiB events every millisecond: it cannot be paused. */
const flood = {
  subscribe(observer: { next(value: unknown): void }) {
    counters.flooding++;
    const data = 'f'.repeat(16 * 1024);
    const timer = setInterval(() => observer.next({ data }), 1);
    return {
      unsubscribe() {
        clearInterval(timer);
        counters.flooding--;
      },
    };
  },
};

export const routes: Record<string, Handler> = {
  '/hub': (request, query) =>
    sseResponse(
      hub.subscribe(query.get('topic') ?? 'news', {
        lastEventId: lastEventIdOf(request),
        context: request,
      }),
      streamOptions(request, query),
    ),
  '/full': (request, query) =>
    sseResponse(smallHub.subscribe('one'), streamOptions(request, query)),
  '/ticks': (request, query) => sseResponse(ticking(), streamOptions(request, query)),
  '/flood': (request, query) => sseResponse(flood, streamOptions(request, query)),
  '/publish': async (_request, query) => {
    const topic = query.get('topic') ?? 'news';
    const size = Number(query.get('size') ?? 0);
    // `batch`: that many events per event-loop turn (a steady publisher), else all in one turn.
    const batch = Number(query.get('batch') ?? 0);
    const ids: string[] = [];
    for (let i = 0; i < Number(query.get('n') ?? 1); i++) {
      if (batch > 0 && i > 0 && i % batch === 0) await new Promise((r) => setTimeout(r, 0));
      // Multi-line data: every line must arrive, in order, in the one event.
      const data = `event ${i}\nsecond line ${i}\n${'p'.repeat(size)}`;
      ids.push(await hub.publish(topic, { data }));
    }
    return json({ ids });
  },
  '/stats': () => json({ ...counters, hub: hub.stats(), smallHub: smallHub.stats() }),
};

/** Answers `request` from {@link routes}; a refusal before the stream by its HeraldError's status. */
export async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const route = routes[url.pathname];
  if (route === undefined) return new Response('not found', { status: 404 });
  try {
    return await route(request, url.searchParams);
  } catch (err) {
    return refusalResponse(err) ?? new Response('internal error', { status: 500 });
  }
}
