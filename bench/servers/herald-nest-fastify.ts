import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { announceReady, readPort } from './contract.js';
import { HeraldNestBenchModule } from './herald-nest-app.js';

/** NestJS on Fastify with `HeraldModule` and herald/nest's `@Sse`. */
const app = await NestFactory.create(HeraldNestBenchModule, new FastifyAdapter(), {
  logger: false,
});
await app.listen(readPort(), '127.0.0.1');
announceReady(app.getHttpServer().address().port);
