import { Module } from '@nestjs/common';
import { HeraldModule } from 'herald/nest';
import { NewsController } from './news.controller.js';

@Module({
  imports: [
    // `broker: new RedisBroker({ url })` from 'herald/redis' shares the hub between processes.
    HeraldModule.forRoot({ history: { maxEvents: 10_000 }, sse: { heartbeat: 15_000 } }),
  ],
  controllers: [NewsController],
})
export class AppModule {}
