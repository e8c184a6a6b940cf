import 'reflect-metadata';
import {
  Controller,
  Get,
  HeraldFactory,
  HttpCode,
  Hub,
  HubModule,
  Module,
  Post,
  Query,
  Sse,
} from 'herald';
import { redisBrokerFromEnv } from 'herald/redis';
import { benchTls } from './bench-tls.js';
import { announceReady, parseBurst, readPort, readStats, startBurst } from './contract.js';

// The cross-process scenario sets BENCH_REDIS_URL (and a prefix unique to the run): the hub then
// shares one Redis log with the other Herald process. A bench-only name, so a HERALD_REDIS_URL in
// the caller's environment cannot turn the single-process cases into Redis ones.
// The sharded case adds BENCH_REDIS_CLUSTER / BENCH_REDIS_SHARDS, and BENCH_TOPICS: every client
// subscribes to that many topics and the publisher cycles through them, so events spread over the
// shards (one topic would put them all on one shard).
const broker = redisBrokerFromEnv({
  HERALD_REDIS_URL: process.env.BENCH_REDIS_URL,
  HERALD_REDIS_PREFIX: process.env.BENCH_REDIS_PREFIX,
  HERALD_REDIS_CLUSTER: process.env.BENCH_REDIS_CLUSTER,
  HERALD_REDIS_SHARDS: process.env.BENCH_REDIS_SHARDS,
});
const topicCount = Number(process.env.BENCH_TOPICS ?? 1);
const topics =
  topicCount > 1 ? Array.from({ length: topicCount }, (_, i) => `bench-${i}`) : ['bench'];
let nextTopic = 0;
let failedPublishes = 0;

/** Herald as users write it: an `@Sse` route returning a Hub subscription, a publish route. */
@Controller()
class BenchController {
  constructor(private readonly hub: Hub) {}

  @Sse('sse')
  sse() {
    return this.hub.subscribe(topics.length === 1 ? topics[0]! : topics);
  }

  @Post('publish')
  @HttpCode(202)
  publish(@Query() query: Record<string, string>) {
    startBurst(parseBurst(query), {
      publish: (data) => {
        // Through Redis a publish can fail (BROKER_UNAVAILABLE); it is counted, not fatal.
        const topic = topics[nextTopic++ % topics.length]!;
        this.hub.publish(topic, { data }).catch(() => {
          failedPublishes++;
        });
      },
    });
    return { started: true };
  }

  @Get('stats')
  stats(@Query('gc') gc: string | undefined) {
    return {
      ...JSON.parse(readStats(this.hub.stats().subscribers, gc !== undefined)),
      failedPublishes,
    };
  }
}

@Module({
  imports: [
    HubModule.forRoot(broker === undefined ? { history: { maxEvents: 10_000 } } : { broker }),
  ],
  controllers: [BenchController],
})
class BenchModule {}

const tls = benchTls();
const app = await HeraldFactory.create(BenchModule, {
  logger: false,
  // The load generator counts every frame; a heartbeat comment would count as an event.
  sse: { heartbeat: false },
  limits: { maxStreams: 100_000, maxStreamsPerAddress: 100_000 },
  // The HTTP/2 scenario: HTTPS, HTTP/2 by ALPN and HTTP/1.1 on the same port.
  ...(tls === undefined ? {} : { https: tls, http2: true }),
});
// The `herald-metrics` peer: the same server with metrics on, scraped once a second (Prometheus
// scrapes every 15 s or so; once a second makes the scrape's own cost show, if it has any).
if (process.env.BENCH_METRICS === '1') {
  app.enableMetrics();
  const { register } = await import('prom-client');
  setInterval(() => void register.metrics(), 1000).unref();
}
await app.listen(readPort(), '127.0.0.1');
// On Redis: ready only once the feed reads the log, so no event published by the other process is
// missed.
await app.get(Hub).ready;
announceReady(Number(new URL(app.getUrl()).port));
