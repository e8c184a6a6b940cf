import 'reflect-metadata';
import {
  Controller,
  Get,
  HeraldFactory,
  HttpCode,
  type MessageEvent,
  Module,
  Post,
  Query,
  Sse,
} from 'herald';
import { Subject } from 'rxjs';
import { announceReady, parseBurst, readPort, readStats, startBurst } from './contract.js';

/**
 * Herald without the Hub, as NestJS code ported unchanged would run: one shared RxJS Subject, each
 * `@Sse` client subscribed to it, so every event is serialized once per connection. Next to the
 * `herald` peer it shows what the Hub's encode-once fan-out is worth.
 */
const feed = new Subject<MessageEvent>();
let clients = 0;

@Controller()
class BenchController {
  @Sse('sse')
  sse() {
    return new (class {
      subscribe(observer: { next(e: MessageEvent): void }) {
        clients++;
        const subscription = feed.subscribe(observer);
        return {
          unsubscribe() {
            clients--;
            subscription.unsubscribe();
          },
        };
      }
    })();
  }

  @Post('publish')
  @HttpCode(202)
  publish(@Query() query: Record<string, string>) {
    startBurst(parseBurst(query), { publish: (data) => feed.next({ data }) });
    return { started: true };
  }

  @Get('stats')
  stats(@Query('gc') gc: string | undefined) {
    return JSON.parse(readStats(clients, gc !== undefined));
  }
}

@Module({ controllers: [BenchController] })
class BenchModule {}

const app = await HeraldFactory.create(BenchModule, {
  logger: false,
  sse: { heartbeat: false },
  limits: { maxStreams: 100_000, maxStreamsPerAddress: 100_000 },
});
await app.listen(readPort(), '127.0.0.1');
announceReady(Number(new URL(app.getUrl()).port));
