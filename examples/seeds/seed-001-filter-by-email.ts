/**
 * Seed 001 ("Server-Sent Events with NestJS"): an `@Sse('sse')` route that sends each client only
 * the events for its own `?email=`, fed by `EventEmitter2`. The `sse` method and the emit are as
 * written there; only the imports moved from `@nestjs/common` and `@nestjs/event-emitter` to
 * `herald` (relative imports end in `.js`, as Node's ESM requires); formatting is Biome's.
 *
 * Filled in where the article elides: `message-event.interface.ts`, `sse-query.dto.ts`, the
 * `FILTER_VERIFIED` name and `FilterVerifiedEvent` class (`filter-verified.event.ts`), a
 * `POST /verify` route around the emit (its `user` is the request body, `{ email }`), the module
 * and bootstrap.
 *
 * As written, the listener added per client is never removed; the demo (`examples/demo`) shows the
 * same filter with cleanup on disconnect.
 */
import {
  Body,
  Controller,
  EventEmitter2,
  EventEmitterModule,
  HeraldFactory,
  type HeraldApplication,
  HttpCode,
  Module,
  Post,
  Query,
  Sse,
} from 'herald';
import { Observable, Subject } from 'rxjs';
import { map } from 'rxjs/operators';
import { FILTER_VERIFIED, FilterVerifiedEvent, UserDto } from './filter-verified.event.js';
import { MessageEvent, MessageEventData } from './message-event.interface.js';
import { SseQueryDto } from './sse-query.dto.js';

/** The article's controller, with the route that emits. */
@Controller()
export class AppController {
  constructor(private readonly eventService: EventEmitter2) {}

  @Sse('sse')
  sse(@Query() sseQuery: SseQueryDto): Observable<MessageEvent> {
    const subject$ = new Subject();
    this.eventService.on(FILTER_VERIFIED, (data) => {
      if (sseQuery.email !== data.email) return;
      subject$.next({ isVerifiedFilter: data.isVerified });
    });
    return subject$.pipe(map((data: MessageEventData): MessageEvent => ({ data })));
  }

  @Post('verify')
  @HttpCode(202)
  verify(@Body() user: UserDto): void {
    const filterVerifiedEvent = new FilterVerifiedEvent();
    filterVerifiedEvent.email = user.email;
    filterVerifiedEvent.isVerified = true;
    this.eventService.emit(FILTER_VERIFIED, filterVerifiedEvent);
  }
}

/** The seed's application module: the controller and the application's `EventEmitter2`. */
@Module({ imports: [EventEmitterModule.forRoot()], controllers: [AppController] })
export class AppModule {}

/** Starts the seed on `port` (0 picks a free one) and returns the listening app. */
export async function bootstrap(port = 0, host = '127.0.0.1'): Promise<HeraldApplication> {
  const app = await HeraldFactory.create(AppModule, { logger: false });
  await app.listen(port, host);
  return app;
}
