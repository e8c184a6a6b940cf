import 'reflect-metadata';
import { Controller, Get, HttpCode, Module, Post, Query } from '@nestjs/common';
import { HeraldModule, Hub, Sse } from 'herald/nest';
import { parseBurst, readStats, startBurst } from './contract.js';

/**
 * The herald/nest peer, shared by the Express and Fastify scripts: a NestJS 12 app as users write
 * it with `HeraldModule` and `herald/nest`'s `@Sse` returning a hub subscription.
 */
@Controller()
class BroadcastController {
  constructor(private readonly hub: Hub) {}

  @Sse('sse')
  sse() {
    return this.hub.subscribe('bench');
  }

  @Post('publish')
  @HttpCode(202)
  publish(@Query() query: Record<string, string>): { started: boolean } {
    startBurst(parseBurst(query), {
      publish: (data) => void this.hub.publish('bench', { data }),
    });
    return { started: true };
  }

  @Get('stats')
  stats(@Query('gc') gc?: string): unknown {
    return JSON.parse(readStats(this.hub.stats().subscribers, gc !== undefined));
  }
}

/** Root module of the herald/nest bench app. */
@Module({
  imports: [
    HeraldModule.forRoot({
      history: { maxEvents: 10_000 },
      // The load generator counts every frame; a heartbeat comment would count as an event.
      sse: { heartbeat: false },
      limits: { maxStreams: 100_000, maxStreamsPerAddress: 100_000 },
    }),
  ],
  controllers: [BroadcastController],
})
export class HeraldNestBenchModule {}
