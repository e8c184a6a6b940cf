/**
 * Seed 001 ("Server-Sent Events with NestJS") in a NestJS 12 app with `@nestjs/event-emitter`, as
 * written there but for one import: `Sse` comes from `herald/nest`. The DTOs and event name are the
 * Herald seed's (`../`), which fill in what the article elides.
 */
import { Body, Controller, HttpCode, Module, Post, Query } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { HeraldModule, Sse } from 'herald/nest';
import { Observable, Subject } from 'rxjs';
import { map } from 'rxjs/operators';
import { FILTER_VERIFIED, FilterVerifiedEvent, UserDto } from '../filter-verified.event.js';
import { MessageEvent, MessageEventData } from '../message-event.interface.js';
import { SseQueryDto } from '../sse-query.dto.js';
import { bootstrapSeed } from './bootstrap.js';

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

@Module({
  imports: [EventEmitterModule.forRoot(), HeraldModule.forRoot()],
  controllers: [AppController],
})
export class AppModule {}

export const bootstrap = (platform?: 'express' | 'fastify', port?: number) =>
  bootstrapSeed(AppModule, platform, port);
