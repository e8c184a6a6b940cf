/**
 * Seed 002 (Danet's "Server-Sent Events" guide): `@SSE('sse')` returning an `EventTarget` that
 * dispatches four `hello` messages, then a `close` one, every 100 ms. The handler is as written
 * there; only the import moved from `@danet/core` to `herald`; formatting is Biome's.
 * The controller class, module and bootstrap are the parts the guide leaves out.
 */
import { Controller, HeraldFactory, type HeraldApplication, Module, SSE, SSEMessage } from 'herald';

/** The guide's controller: one `@SSE('sse')` route. */
@Controller()
export class SseController {
  @SSE('sse')
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

/** The seed's application module. */
@Module({ controllers: [SseController] })
export class AppModule {}

/** Starts the seed on `port` (0 picks a free one) and returns the listening app. */
export async function bootstrap(port = 0, host = '127.0.0.1'): Promise<HeraldApplication> {
  const app = await HeraldFactory.create(AppModule, { logger: false });
  await app.listen(port, host);
  return app;
}
