import { Controller, type MessageEvent, Sse } from 'herald';
import { interval, map, type Observable } from 'rxjs';
import { DemoConfig } from './demo-config.js';

/** Seed 000's `/sse` and seed 003's `/events`: per-connection interval streams. */
@Controller()
export class TicksController {
  constructor(private readonly config: DemoConfig) {}

  /** `{ hello: 'world' }` every tick (seed 000). */
  @Sse('sse')
  sse(): Observable<MessageEvent> {
    return interval(this.config.tickMs).pipe(map(() => ({ data: { hello: 'world' } })));
  }

  /** A count from 0 and the server time every tick (seed 003). */
  @Sse('events')
  sendEvents(): Observable<MessageEvent> {
    return interval(this.config.tickMs).pipe(
      map((count) => ({ data: { count, timestamp: new Date().toISOString() } })),
    );
  }
}
