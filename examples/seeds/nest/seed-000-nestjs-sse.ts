/**
 * Seed 000 (the NestJS "Server-Sent Events" guide) in a NestJS 12 app, as written there but for one
 * import: `Sse` comes from `herald/nest`, so the stream goes through Herald's engine.
 */
import { Controller, MessageEvent, Module } from '@nestjs/common';
import { HeraldModule, Sse } from 'herald/nest';
import { interval, Observable } from 'rxjs';
import { map } from 'rxjs/operators';
import { bootstrapSeed } from './bootstrap.js';

@Controller()
export class SseController {
  @Sse('sse')
  sse(): Observable<MessageEvent> {
    return interval(1000).pipe(map((_) => ({ data: { hello: 'world' } })));
  }
}

@Module({ imports: [HeraldModule.forRoot()], controllers: [SseController] })
export class AppModule {}

export const bootstrap = (platform?: 'express' | 'fastify', port?: number) =>
  bootstrapSeed(AppModule, platform, port);
