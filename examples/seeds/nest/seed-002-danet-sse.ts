/**
 * Seed 002 (Danet's "Server-Sent Events" guide) in a NestJS 12 app: the handler as written there,
 * an `EventTarget` dispatching `SSEMessage`s. Nest has no `SSEMessage`, so it comes from
 * `herald/nest` with `Sse`; `@SSE` is spelled `@Sse`.
 */
import { Controller, Module } from '@nestjs/common';
import { HeraldModule, Sse, SSEMessage } from 'herald/nest';
import { bootstrapSeed } from './bootstrap.js';

@Controller()
export class SseController {
  @Sse('sse')
  sendUpdate(): EventTarget {
    const eventTarget = new EventTarget();
    let id = 0;
    const interval = setInterval(() => {
      if (id >= 4) {
        clearInterval(interval);
        const event = new SSEMessage({
          retry: 1000,
          id: `${id}`,
          data: 'close',
          event: 'close',
        });
        eventTarget.dispatchEvent(event);
        return;
      }
      const event = new SSEMessage({
        retry: 1000,
        id: `${id}`,
        data: 'world',
        event: 'hello',
      });
      eventTarget.dispatchEvent(event);
      id++;
    }, 100);
    return eventTarget;
  }
}

@Module({ imports: [HeraldModule.forRoot()], controllers: [SseController] })
export class AppModule {}

export const bootstrap = (platform?: 'express' | 'fastify', port?: number) =>
  bootstrapSeed(AppModule, platform, port);
