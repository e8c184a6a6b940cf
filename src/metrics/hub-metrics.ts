import type { Hub } from '../hub/hub.js';
import type { PromClientModule } from './load-prom-client.js';
import type { RegistryLike } from './registry-like.js';

type Counted = 'published' | 'delivered' | 'replayed' | 'gaps';

const COUNTERS: ReadonlyArray<[Counted, string]> = [
  ['published', 'Events published through this process.'],
  ['delivered', 'Frames handed to subscribers, live and replayed: one per event per subscriber.'],
  ['replayed', 'Events sent from history on resume or catch-up.'],
  ['gaps', 'Resumes whose Last-Event-ID history no longer covered (a herald:gap was sent).'],
];

/**
 * `herald_hub_*` counters, the subscriber gauge and `herald_runs_active`, read from `hub.stats()`
 * when scraped: the hub counts them already (runs made on the hub report through it), so the
 * fan-out pays nothing for them.
 */
export function registerHubMetrics(
  prom: PromClientModule,
  registers: RegistryLike[],
  hub: Pick<Hub, 'stats'>,
): void {
  const r = registers as never[];
  for (const [key, help] of COUNTERS) {
    new prom.Counter({
      name: `herald_hub_${key}_total`,
      help,
      registers: r,
      collect() {
        // The hub's counter is the truth; mirror its absolute value.
        this.reset();
        this.inc(hub.stats()[key]);
      },
    });
  }
  new prom.Gauge({
    name: 'herald_runs_active',
    help: 'Resumable runs producing now (on Redis: those producing on this process).',
    registers: r,
    collect() {
      this.set(hub.stats().runs.active);
    },
  });
  new prom.Gauge({
    name: 'herald_hub_subscribers',
    help: 'Hub subscribers now (one subscribed to several topics counts once).',
    registers: r,
    collect() {
      this.set(hub.stats().subscribers);
    },
  });
}
