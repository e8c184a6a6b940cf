import type { IncomingMessage } from 'node:http';
import {
  Controller,
  type HeraldApplication,
  type HeraldApplicationOptions,
  Hub,
  HubModule,
  type HubModuleOptions,
  LastEventId,
  Module,
  Query,
  Req,
  Sse,
} from 'herald';
import { startApp } from '../../app/http/start-app.js';

/** A running app with one Hub and a `GET /stream?topics=a,b[&replay=all]` route. */
export interface HubApp {
  app: HeraldApplication;
  url: string;
  hub: Hub;
  /** The stream URL for `topics`. */
  stream(topics: string | string[], query?: string): string;
  close(): Promise<void>;
}

/**
 * Starts an app whose `/stream` route returns `hub.subscribe(topics, { lastEventId, replay,
 * context: request })`, with the hub from `HubModule.forRoot(hubOptions)`. Heartbeats are off.
 */
export async function startHubApp(
  hubOptions: HubModuleOptions = {},
  appOptions: HeraldApplicationOptions = {},
): Promise<HubApp> {
  @Controller()
  class StreamController {
    constructor(private readonly hub: Hub) {}

    @Sse('stream')
    stream(
      @Query('topics') topics: string,
      @Query('replay') replay: string | undefined,
      @LastEventId() lastEventId: string | undefined,
      @Req() req: IncomingMessage,
    ) {
      return this.hub.subscribe(topics.split(','), {
        lastEventId,
        replay: replay === 'all' ? 'all' : 'none',
        context: req,
      });
    }
  }

  @Module({ imports: [HubModule.forRoot(hubOptions)], controllers: [StreamController] })
  class AppModule {}

  const { app, url } = await startApp(AppModule, {
    ...appOptions,
    sse: { heartbeat: false, ...appOptions.sse },
  });
  return {
    app,
    url,
    hub: app.get(Hub),
    stream: (topics, query) =>
      `${url}/stream?topics=${[topics].flat().join(',')}${query ? `&${query}` : ''}`,
    close: () => app.close(),
  };
}

/** Publishes `data` items to `topic` in order and resolves with their ids. */
export async function publishAll(hub: Hub, topic: string, data: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const d of data) ids.push(await hub.publish(topic, { data: d }));
  return ids;
}

/** `prefix0`, `prefix1`, ... */
export function names(prefix: string, n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${from + i}`);
}
