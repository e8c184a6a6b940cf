import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { Hub, LastEventId, type MessageEvent, Sse } from 'herald/nest';
import { interval, map, type Observable } from 'rxjs';

/** The body of `POST /news`. */
export class HeadlineDto {
  @IsString()
  @Length(1, 200)
  title!: string;
}

@Controller('news')
export class NewsController {
  constructor(private readonly hub: Hub) {}

  /** Every headline; a client that reconnects gets what it missed (its `Last-Event-ID`). */
  @Sse('stream')
  stream(@LastEventId() lastEventId?: string) {
    return this.hub.subscribe('headlines', { lastEventId });
  }

  /** Publishes a headline to every client of `/news/stream`, on every process sharing the hub. */
  @Post()
  @HttpCode(202)
  async publish(@Body() body: HeadlineDto): Promise<{ id: string }> {
    return { id: await this.hub.publish('headlines', { data: body, type: 'headline' }) };
  }

  /** Any Observable works too, as with Nest's own `@Sse`. */
  @Sse('clock')
  clock(): Observable<MessageEvent> {
    return interval(1000).pipe(map(() => ({ data: { now: new Date().toISOString() } })));
  }
}
