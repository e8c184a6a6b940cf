import { mkdtempSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsEmail } from 'class-validator';
import {
  Body,
  type CanActivate,
  Controller,
  Get,
  type HeraldApplication,
  type HeraldApplicationOptions,
  HeraldFactory,
  Hub,
  LastEventId,
  Module,
  Post,
  Query,
  Req,
  Sse,
  UseGuards,
} from 'herald';
import { finalize, interval, map } from 'rxjs';
import { testCertificate } from '../../support/tls.js';

class EmailQuery {
  @IsEmail()
  email!: string;
}

class Deny implements CanActivate {
  canActivate() {
    return false;
  }
}

/** What the app's producers report: streams subscribed and released. */
export const producers = { started: 0, released: 0 };

@Controller()
class H2Controller {
  constructor(private readonly hub: Hub) {}

  @Sse('news')
  news(@LastEventId() lastEventId?: string) {
    return this.hub.subscribe('news', { lastEventId });
  }

  @Sse('private')
  secret() {
    return this.hub.subscribe('private');
  }

  @Sse('ticks')
  ticks() {
    producers.started++;
    return interval(20).pipe(
      map((n) => ({ data: n })),
      finalize(() => producers.released++),
    );
  }

  @Sse('guarded')
  @UseGuards(Deny)
  guarded() {
    return interval(1000).pipe(map(() => ({ data: 'never' })));
  }

  @Sse('by-email')
  byEmail(@Query() query: EmailQuery) {
    return interval(1000).pipe(map(() => ({ data: query.email })));
  }

  @Get('version')
  version(@Req() req: IncomingMessage) {
    return { httpVersion: req.httpVersion };
  }

  @Get('hello')
  hello() {
    return { hello: 'world' };
  }

  @Post('echo')
  echo(@Body() body: unknown) {
    return { got: body };
  }
}

/** A running app on HTTPS (+ HTTP/2 unless `http2: false`) with the routes above. */
export interface H2App {
  app: HeraldApplication;
  url: string;
  hub: Hub;
  close(): Promise<void>;
}

/**
 * Starts the test app on 127.0.0.1 with a self-signed certificate (h2c with `tls: false`) and a
 * static folder.
 */
export async function startH2App(
  options: HeraldApplicationOptions = {},
  { tls = true } = {},
): Promise<H2App> {
  const hub = new Hub({ authorize: (topic) => topic !== 'private' });
  @Module({ controllers: [H2Controller], providers: [{ provide: Hub, useValue: hub }] })
  class AppModule {}
  const statics = mkdtempSync(join(tmpdir(), 'herald-h2-static-'));
  writeFileSync(join(statics, 'page.html'), '<h1>static</h1>');
  const app = await HeraldFactory.create(AppModule, {
    logger: false,
    ...(tls ? { https: testCertificate() } : {}),
    http2: true,
    cors: { origin: ['https://allowed.example'] },
    ...options,
    sse: { heartbeat: false, ...options.sse },
  });
  app.useStaticAssets(statics);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    url: app.getUrl(),
    hub,
    close: async () => {
      await app.close();
      await hub.close();
    },
  };
}

/** A complete request on an HTTP/2 session: status, headers and body text. */
export function h2Request(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  body?: string,
): Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers);
    const chunks: Buffer[] = [];
    let head: http2.IncomingHttpHeaders = {};
    stream.on('response', (h) => {
      head = h;
    });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () =>
      resolve({
        status: Number(head[':status']),
        headers: head,
        body: Buffer.concat(chunks).toString(),
      }),
    );
    stream.on('error', reject);
    stream.end(body);
  });
}
