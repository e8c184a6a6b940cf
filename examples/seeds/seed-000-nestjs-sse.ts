/**
 * Seed 000 (the NestJS "Server-Sent Events" guide): an `@Sse` route emitting `{ hello: 'world' }`
 * every second. The handler is as written there; only the import moved from `@nestjs/common` to
 * `herald`; formatting is Biome's. The controller class, module and bootstrap are
 * the parts the guide leaves out.
 */
import {
  Controller,
  HeraldFactory,
  type HeraldApplication,
  MessageEvent,
  Module,
  Sse,
} from 'herald';
import { interval, Observable } from 'rxjs';
import { map } from 'rxjs/operators';

/** The guide's controller: one `@Sse('sse')` route. */
@Controller()
export class SseController {
  @Sse('sse')
  sse(): Observable<MessageEvent> {
    return interval(1000).pipe(map((_) => ({ data: { hello: 'world' } })));
  }
}

/** The seed's application module. */
@Module({ controllers: [SseController] })
export class AppModule {}

/** Starts the seed on `port` (0 picks a free one) and returns the listening app. */
export async function bootstrap(port = 0, host = '127.0.0.1'): Promise<HeraldApplication> {
  const app = await HeraldFactory.create(AppModule, { logger: false });
  await app.listen(port, host);
  return app;
}
