import {
  Body,
  type CallHandler,
  type CanActivate,
  Controller,
  type ExecutionContext,
  ForbiddenException,
  Get,
  HttpCode,
  Injectable,
  Module,
  type NestInterceptor,
  Post,
  Query,
  Req,
  UseGuards,
  ValidationPipe,
  type INestApplication,
  Sse as NestSse,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IsIn, IsString, Length } from 'class-validator';
import { HeraldModule, Hub, LastEventId, SSEMessage, Sse } from 'herald/nest';
import { map, Observable } from 'rxjs';

/** Counts producers alive, so tests can see a client's leaving cancel its producer. */
@Injectable()
export class Producers {
  alive = 0;
  started = 0;
}

/** The query of `/news/topic`: a topic name (validated: 400 before the stream; the hub takes 256 characters). */
export class TopicQuery {
  @IsString()
  @Length(1, 400)
  topic!: string;
}

/** The body of the POST stream. */
export class AskDto {
  @IsString()
  @Length(1, 100)
  question!: string;
}

/** The source kinds one route can return (`?kind=`). */
export class KindQuery {
  @IsIn(['observable', 'iterable', 'event-target', 'readable-stream', 'fails', 'none'])
  kind!: string;
}

/** Lets a request through with `x-token: ok`. */
@Injectable()
export class TokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest().headers['x-token'] === 'ok';
  }
}

/**
 * The global interceptor most Nest apps have: every JSON reply wrapped in `{ data }`, SSE routes
 * (Nest's `SSE_METADATA`, `__sse__`) skipped. It does wrap a herald/nest route's value.
 */
@Injectable()
export class WrapInDataInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.reflector.get('__sse__', context.getHandler())) return next.handle();
    return next.handle().pipe(map((data) => ({ data })));
  }
}

@Controller('news')
export class NewsController {
  constructor(
    private readonly hub: Hub,
    private readonly producers: Producers,
  ) {}

  @Sse('stream')
  stream(@LastEventId() lastEventId?: string) {
    return this.hub.subscribe('headlines', { lastEventId });
  }

  @Post()
  @HttpCode(202)
  async publish(@Body() body: { title: string }) {
    return { id: await this.hub.publish('headlines', { data: body, type: 'headline' }) };
  }

  @Get('plain')
  plain() {
    return { ok: true };
  }

  @Sse('topic')
  topic(@Query() query: TopicQuery, @Req() req: unknown) {
    return this.hub.subscribe(query.topic, { context: req });
  }

  @Sse('guarded')
  @UseGuards(TokenGuard)
  guarded() {
    return this.hub.subscribe('headlines');
  }

  @Sse('quiet', { heartbeat: 100 })
  quiet() {
    return new Observable(() => {
      this.producers.alive++;
      this.producers.started++;
      return () => {
        this.producers.alive--;
      };
    });
  }

  @Sse('kinds')
  kinds(@Query() { kind }: KindQuery) {
    return sourceOf(kind);
  }

  @Sse('ask', { method: 'POST', retry: 1500 })
  ask(@Body() body: AskDto) {
    return (async function* () {
      for (const word of body.question.split(' ')) yield { data: word, type: 'word' };
    })();
  }

  @NestSse('nest-own')
  nestOwn(@LastEventId() lastEventId?: string) {
    return this.hub.subscribe('headlines', { lastEventId });
  }
}

/** Three events of the named source kind, then the end (`none`: 204). */
function sourceOf(kind: string): unknown {
  const data = ['one', 'two', 'three'];
  if (kind === 'observable')
    return new Observable((s) => {
      for (const d of data) s.next({ data: d });
      s.complete();
    });
  if (kind === 'iterable')
    return (async function* () {
      yield* data.map((d) => ({ data: d }));
    })();
  if (kind === 'fails') {
    return new Observable((s) => {
      s.next({ data: 'one' });
      setTimeout(() => s.error(new ForbiddenException('no longer yours')), 20);
    });
  }
  if (kind === 'readable-stream') {
    return new ReadableStream({
      start(controller) {
        for (const d of data) controller.enqueue({ data: d });
        controller.close();
      },
    });
  }
  if (kind === 'event-target') {
    const target = new EventTarget();
    setTimeout(() => {
      for (const d of data) target.dispatchEvent(new SSEMessage({ data: d }));
      target.dispatchEvent(new SSEMessage({ data: 'bye', event: 'close' }));
    }, 20);
    return target;
  }
  return undefined;
}

/** The module of the suite: a hub that refuses the topic `secret`, small caps per address. */
@Module({
  imports: [
    HeraldModule.forRoot({
      history: { maxEvents: 1_000 },
      authorize: (topic) => topic !== 'secret',
      limits: { maxStreamsPerAddress: 40, retryAfterSeconds: 7 },
    }),
  ],
  controllers: [NewsController],
  providers: [Producers, TokenGuard],
})
export class NewsModule {}

/** What most Nest apps set up: validation, the `{ data }` interceptor, CORS for one origin. */
export function setupNewsApp(app: INestApplication): void {
  app.useGlobalPipes(new ValidationPipe({ transform: true }));
  app.useGlobalInterceptors(new WrapInDataInterceptor(app.get(Reflector)));
  app.enableCors({ origin: 'https://news.example' });
}
