import type { CloseReason, SseServer } from '../connection/index.js';
import type { PromClientModule } from './load-prom-client.js';
import type { RegistryLike } from './registry-like.js';
import {
  type RefusalSource,
  STREAM_REFUSAL_REASONS,
  type StreamRefusalReason,
} from './stream-refusals.js';

const CLOSE_REASONS: readonly CloseReason[] = [
  'complete',
  'error',
  'client',
  'slow-consumer',
  'server',
];

/**
 * `herald_streams_*`: read from `SseServer.stats()` when scraped (the engine counts them already,
 * so streams pay nothing for metrics), plus refusals as the app's limiter reports them.
 * Returns the function that stops listening for refusals.
 */
export function registerStreamMetrics(
  prom: PromClientModule,
  registers: RegistryLike[],
  sse: Pick<SseServer, 'stats'>,
  refusals: RefusalSource | undefined,
): () => void {
  const r = registers as never[];
  new prom.Gauge({
    name: 'herald_streams_open',
    help: 'Event streams open now.',
    registers: r,
    collect() {
      this.set(sse.stats().open);
    },
  });
  new prom.Counter({
    name: 'herald_streams_opened_total',
    help: 'Event streams started (head sent).',
    registers: r,
    collect() {
      this.reset();
      this.inc(sse.stats().opened);
    },
  });
  new prom.Counter({
    name: 'herald_streams_closed_total',
    help: 'Event streams ended, by reason: complete, error, client, slow-consumer, server.',
    labelNames: ['reason'],
    registers: r,
    collect() {
      const { closed } = sse.stats();
      // Absolute values: the engine's counters are the truth, the metric only mirrors them.
      this.reset();
      for (const reason of CLOSE_REASONS) this.inc({ reason }, closed[reason]);
    },
  });
  const refused = new prom.Counter({
    name: 'herald_streams_refused_total',
    help: `Event stream requests answered with an error status, by reason: ${STREAM_REFUSAL_REASONS.join(', ')}.`,
    labelNames: ['reason'],
    registers: r,
  });
  // Every reason exists from the start at 0, so rate() and alerts see the series before the first.
  for (const reason of STREAM_REFUSAL_REASONS) refused.inc({ reason }, 0);
  return refusals?.onRefused((reason: StreamRefusalReason) => refused.inc({ reason })) ?? noop;
}

function noop(): void {}
