import type { BrokerStats, HubBroker } from '../hub/broker.js';
import type { PromClientModule } from './load-prom-client.js';
import type { RegistryLike } from './registry-like.js';

const OPERATIONS: ReadonlyArray<keyof BrokerStats['errors']> = ['append', 'replay', 'feed'];

/**
 * `herald_broker_errors_total{operation}` (`append`, `replay`, `feed`), read from the broker's
 * `stats()` when scraped; registered only for brokers that keep them (Redis: the in-memory broker
 * cannot fail).
 */
export function registerBrokerMetrics(
  prom: PromClientModule,
  registers: RegistryLike[],
  broker: HubBroker,
): boolean {
  if (broker.stats === undefined) return false;
  const stats = broker.stats.bind(broker);
  new prom.Counter({
    name: 'herald_broker_errors_total',
    help: 'Broker failures by operation: append (a publish), replay (a resume read), feed (a live read).',
    labelNames: ['operation'],
    registers: registers as never[],
    collect() {
      const { errors } = stats();
      this.reset();
      for (const operation of OPERATIONS) this.inc({ operation }, errors[operation]);
    },
  });
  return true;
}
