import 'reflect-metadata';
import { Controller, Get, type MessageEvent, Module, Post, Query, Sse } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { parseBurst, readStats, startBurst } from './contract.js';

/**
 * The NestJS peer, shared by the Express and Fastify scripts: one `Subject` for the broadcast and,
 * per client, one Observable subscribed to it (which is also where clients are counted).
 */
const events = new Subject<MessageEvent>();
let clients = 0;

@Controller()
class BroadcastController {
  @Sse('sse')
  sse(): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      clients++;
      const subscription = events.subscribe(subscriber);
      return () => {
        clients--;
        subscription.unsubscribe();
      };
    });
  }

  @Get('stats')
  stats(@Query('gc') gc?: string): unknown {
    return JSON.parse(readStats(clients, gc !== undefined));
  }

  @Post('publish')
  publish(@Query() query: Record<string, string>): { started: boolean } {
    startBurst(parseBurst(query), { publish: (data) => events.next({ data }) });
    return { started: true };
  }
}

/** Root module of the NestJS bench app. */
@Module({ controllers: [BroadcastController] })
export class BenchModule {}
