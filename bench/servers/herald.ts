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
import { announceReady, parseBurst, readPort, readStats, startBurst } from './contract.js';

/** Herald as users write it: an `@Sse` route returning a Hub subscription, a publish route. */
@Controller()
class BenchController {
  constructor(private readonly hub: Hub) {}

  @Sse('sse')
  sse() {
    return this.hub.subscribe('bench');
  }

  @Post('publish')
  @HttpCode(202)
  publish(@Query() query: Record<string, string>) {
    startBurst(parseBurst(query), {
      publish: (data) => {
        void this.hub.publish('bench', { data });
      },
    });
    return { started: true };
  }

  @Get('stats')
  stats(@Query('gc') gc: string | undefined) {
    return JSON.parse(readStats(this.hub.stats().subscribers, gc !== undefined));
  }
}

@Module({
  imports: [HubModule.forRoot({ history: { maxEvents: 10_000 } })],
  controllers: [BenchController],
})
class BenchModule {}

const app = await HeraldFactory.create(BenchModule, {
  logger: false,
  // The load generator counts every frame; a heartbeat comment would count as an event.
  sse: { heartbeat: false },
  limits: { maxStreams: 100_000, maxStreamsPerAddress: 100_000 },
});
await app.listen(readPort(), '127.0.0.1');
announceReady(Number(new URL(app.getUrl()).port));
