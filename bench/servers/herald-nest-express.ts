import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { announceReady, readPort } from './contract.js';
import { HeraldNestBenchModule } from './herald-nest-app.js';

/** NestJS on Express with `HeraldModule` and herald/nest's `@Sse`. */
const app = await NestFactory.create(HeraldNestBenchModule, new ExpressAdapter(), {
  logger: false,
});
await app.listen(readPort(), '127.0.0.1');
announceReady(app.getHttpServer().address().port);
